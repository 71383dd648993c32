import { parentPort } from 'node:worker_threads';

// The real hash worker, except that it dies (as a native crash or an out-of-memory would end
// it) on one agreed password: what hash-pool.test.ts needs to see a worker replaced.
export const crashPassword = 'crash this worker now';

parentPort?.on('message', (job: { password: string }) => {
  if (job.password === crashPassword) process.exit(3);
});
// Imported only now, so that the listener above sees each job first; and only as a worker
// (the test imports this module for `crashPassword`).
if (parentPort) await import('./hash-worker.ts');
