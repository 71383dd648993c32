// argon2id with OWASP's parameters (m=19 MiB, t=2, p=1), shared by the hasher and its workers.

// The library's `Algorithm` is a const enum, which type stripping cannot inline; 2 is Argon2id.
const argon2id = 2;
export const argon2Params = { algorithm: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export const phcPrefix = `$argon2id$v=19$m=${argon2Params.memoryCost},t=${argon2Params.timeCost},p=${argon2Params.parallelism}$`;
