import { keepYoungGenerationSmall } from './ops/young-generation.ts';

// Process entry (`npm start`). The young generation is sized before the server's modules load,
// since loading them is what would grow it (src/ops/young-generation.ts); the server itself is
// src/server.ts.
keepYoungGenerationSmall();
await import('./server.ts');
