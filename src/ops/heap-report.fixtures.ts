import { getHeapSpaceStatistics } from 'node:v8';
import { writeFileSync } from 'node:fs';

// Loaded with `--import` by src/ops/idle-memory.test.ts: on SIGUSR2 the server writes its young
// generation's size to BEHALF_HEAP_REPORT, so the test can read it from outside.
const file = process.env.BEHALF_HEAP_REPORT;
if (file) {
  process.on('SIGUSR2', () => {
    const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    writeFileSync(file, JSON.stringify({ newSpaceBytes: young?.space_size ?? -1 }));
  });
}
