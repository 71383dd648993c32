import { setFlagsFromString } from 'node:v8';

// Issue 13, target 5 (idle memory): V8's young generation (two semi-spaces) starts at 1 MB each
// and doubles whenever much of it survives a scavenge, up to 16 MB or more each on a machine with
// a large memory. Loading this server's modules makes nearly everything survive, so by the end
// of start-up both semi-spaces have grown to their maximum, and V8 never shrinks them while the
// process is idle: about 20 MB of an idle server's resident memory was an empty young generation
// (docs/benchmarks.md, "Idle memory"). Keeping the growth factor at 1 holds them at their initial
// size; requests then scavenge more often, each scavenge as cheap (it copies only what is alive).
//
// Set at run time, before any other module loads (src/main.ts), so that `node src/main.ts` as
// `npm start`, the tests and the benchmarks run it gets it without flags on the command line.
// An operator who sets the young generation's size themselves (`--max-semi-space-size`, or the
// growth factor, in NODE_OPTIONS or on the command line) keeps what they set.

export const youngGenerationFlag = '--semi-space-growth-factor=1';

/** Pure: the flag to set, or null when the operator's own options already size the young generation. */
export function youngGenerationFlagFor(
  execArgv: readonly string[],
  nodeOptions: string | undefined,
): string | null {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  return given.some((option) => /^--((max|min)[-_])?semi[-_]space/.test(option)) ? null : youngGenerationFlag;
}

/** Sets the flag for this process (see above); returns what it set, if anything. */
export function keepYoungGenerationSmall(): string | null {
  const flag = youngGenerationFlagFor(process.execArgv, process.env.NODE_OPTIONS);
  if (flag) setFlagsFromString(flag);
  return flag;
}
