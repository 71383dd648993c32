import { z } from 'zod';
import { displayTextProblem, type DisplayTextKind } from './display-text.ts';
import type { ErrorCode } from './errors.ts';
import { emailLengthProblem } from '../users/email-address.ts';
import { prepareUsername, usernameMaxLength, usernameMinLength, usernameProblem } from '../users/username.ts';

// Field schemas whose refusals carry their own stable code (issue 7 #19). A refinement names
// the code in the issue's params; src/http/problem.ts answers with it when it is the only
// code among the body's issues (otherwise `validation_failed`), and `errors` names the field.

type Ctx = z.core.$RefinementCtx<string>;

function refuse(ctx: Ctx, code: ErrorCode, message: string): void {
  ctx.addIssue({ code: 'custom', message, params: { code }, input: ctx.value });
}

/** Text people read (names, titles, reasons): no control or invisible formatting characters. */
export function displayText(schema: z.ZodString, kind: DisplayTextKind = 'one-line'): z.ZodString {
  return schema.superRefine((value, ctx) => {
    const problem = displayTextProblem(value, kind);
    if (problem) refuse(ctx, 'control_characters', problem);
  });
}

const usernameMessages = {
  username_invalid:
    'may contain letters, digits, dot, underscore and hyphen only (no spaces, symbols or ' +
    'look-alike forms such as ligatures or mathematical letters)',
  username_mixed_scripts: 'must not mix letters of different scripts (such as Latin and Cyrillic)',
} as const;

/** PRECIS usernames (src/users/username.ts): stored width-mapped and in NFC. */
export const usernameField = z
  .string()
  .trim()
  .overwrite(prepareUsername)
  .min(usernameMinLength, `must be at least ${usernameMinLength} characters`)
  .max(usernameMaxLength, `must be at most ${usernameMaxLength} characters`)
  .superRefine((value, ctx) => {
    // Over-long input is refused by max() already; not looking up scripts for 64 KiB of it
    // keeps a request's cost bounded.
    if (value.length > usernameMaxLength) return;
    const problem = usernameProblem(value);
    if (problem) refuse(ctx, problem, usernameMessages[problem]);
  })
  .describe(
    'Letters and digits of one script, ".", "_", "-"; fullwidth forms are stored as ordinary ' +
      'letters; unique regardless of case and width (PRECIS UsernameCaseMapped, RFC 8265)',
  );

/** An address SMTP can carry: RFC 5321 lengths in octets, then the address syntax. */
export const emailField = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = emailLengthProblem(value);
    if (problem) refuse(ctx, 'email_too_long', problem);
  })
  .pipe(z.email({ message: 'must be an e-mail address' }));
