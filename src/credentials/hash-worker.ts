import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { hashSync, verifySync } from '@node-rs/argon2';
import { argon2Params } from './argon2-params.ts';

// One password-hash worker thread (see hash-pool.ts). It lowers its own thread's scheduling
// priority first: on Linux setpriority(PRIO_PROCESS, 0, n) from inside a thread renices that
// thread only, so sign-in hashing gets the CPU the request path leaves idle and a login flood
// cannot take the cores from session checks. argon2 runs synchronously here, on this thread,
// because the library's async calls would hash on libuv's pool, whose threads keep nice 0.

export type HashJob = { op: 'hash'; password: string } | { op: 'verify'; phc: string; password: string };
export type HashAnswer = { ok: true; value: string | boolean } | { ok: false; error: string };
export interface WorkerInfo {
  /** The OS thread id (Linux), for operators' `ps -L` and the tests; null elsewhere. */
  tid: number | null;
  nice: number;
}

const port = parentPort;
if (!port) throw new Error('hash-worker.ts runs as a worker thread');

const wanted = (workerData as { nice: number }).nice;
try {
  setPriority(0, wanted);
} catch {
  // Not permitted or not supported: hash at the normal priority rather than not at all.
}
let tid: number | null = null;
try {
  tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
} catch {
  // Not Linux.
}
port.postMessage({ tid, nice: getPriority(0) } satisfies WorkerInfo);

port.on('message', (job: HashJob) => {
  let answer: HashAnswer;
  try {
    answer =
      job.op === 'hash'
        ? { ok: true, value: hashSync(job.password, argon2Params) }
        : { ok: true, value: verifyOrFalse(job.phc, job.password) };
  } catch {
    // A fixed message: whatever the library said stays here, so no password can leak out.
    answer = { ok: false, error: `argon2 ${job.op} failed` };
  }
  port.postMessage(answer);
});

/** A stored hash the library cannot read matches no password. */
function verifyOrFalse(phc: string, password: string): boolean {
  try {
    return verifySync(phc, password);
  } catch {
    return false;
  }
}
