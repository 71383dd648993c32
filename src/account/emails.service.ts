import { hash } from 'node:crypto';
import type { Tx } from '../db/database.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import { assertCapability } from '../permissions/capabilities.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { enqueueMail } from '../mail/mail.ts';
import { recordAudit } from '../audit/audit.ts';
import { newEmailCode, sameCode } from '../auth/second-factor.ts';
import { findEmail, planAddEmail, planRemoveEmail, planSetPrimary, planVerify } from '../users/emails.ts';
import {
  deleteEmailRow,
  findVerifiedOwner,
  markEmailVerified,
  setPrimaryEmail,
} from '../users/emails.store.ts';
import { insertEmailRow } from '../users/users.store.ts';
import type { User } from '../users/user.ts';
import { changeOwn, loadOwn, type SelfChangeDeps } from './self-change.ts';
import {
  deleteEmailVerification,
  reserveEmailVerificationAttempt,
  saveEmailVerification,
} from './account.store.ts';

// My Profile e-mails (R-ADM-16, R-ADM-09): the user adds an address unverified and proves it
// with the code mailed to it; only verified addresses become primary. All of it is the
// capability `emails.change`, refused while an administrator acts as the user (R-IMP-04).

/** How long the mailed code works. */
export const verificationTtlMs = 24 * 3_600_000;
/** Wrong codes before the code is spent (a new one must be sent). */
const maxAttempts = 5;

const codeHash = (emailId: string, code: string) => hash('sha256', `${emailId}:${code}`, 'base64url');

export class AccountEmailsService {
  private readonly deps: SelfChangeDeps & { publicUrl: string; wakeMailer: () => void };

  constructor(deps: AccountEmailsService['deps']) {
    this.deps = deps;
  }

  async add(ctx: AuthedContext, address: string): Promise<void> {
    assertCapability(ctx, 'emails.change');
    const now = this.deps.clock.now();
    const emailId = newId(now);
    await changeOwn(this.deps, ctx, ({ user, emails }) => {
      const planned = planAddEmail(user, emails, { address, verified: false });
      planned.auditAction = 'account.email_added';
      planned.alsoInTransaction = async (trx) => {
        await insertEmailRow(trx, {
          id: emailId,
          user_id: user.id,
          address,
          address_lower: address.toLowerCase(),
          verified: false,
          verified_at: null,
          is_primary: false,
          created_at: now,
        });
        await this.sendCode(trx, user, emailId, address);
      };
      return planned;
    });
    this.deps.wakeMailer();
  }

  /** A new code for an unverified address (the earlier one stops working). */
  async resend(ctx: AuthedContext, emailId: string): Promise<void> {
    assertCapability(ctx, 'emails.change');
    const { user, emails } = await loadOwn(this.deps, ctx.user.id);
    const email = findEmail(emails, emailId);
    if (email.verified) return;
    await this.deps.database.transaction(async (trx) => {
      await this.sendCode(trx, user, email.id, email.address);
      await this.audit(trx, ctx, 'account.email_verification_sent', { address: email.address });
    });
    this.deps.wakeMailer();
  }

  async verify(ctx: AuthedContext, emailId: string, code: string): Promise<void> {
    assertCapability(ctx, 'emails.change');
    const { database, clock } = this.deps;
    const { emails } = await loadOwn(this.deps, ctx.user.id);
    const email = findEmail(emails, emailId);
    // No code waits for a verified address, so none is compared and none is accepted: a 200
    // always means that this code was compared and was right. (Answering 200 here, as it once
    // did, told the sender of a wrong code, sent after the right one, that it was accepted.)
    if (email.verified) throw invalidCode('This address is verified already; no code is waiting for it.');
    // The attempt is taken before the code is compared, so parallel guesses never compare
    // more than maxAttempts codes (issue 7 #10).
    const pendingHash = await reserveEmailVerificationAttempt(
      database.db,
      ctx.user.id,
      email.id,
      clock.now(),
      maxAttempts,
    );
    if (pendingHash === undefined) {
      throw invalidCode('This code has expired or was used up; send a new one.');
    }
    if (!sameCode(pendingHash, codeHash(email.id, code.trim()))) {
      throw invalidCode('This code is not right.');
    }
    await changeOwn(this.deps, ctx, ({ user, emails: current }) => {
      const planned = planVerify(user, current, findEmail(current, emailId));
      planned.auditAction = 'account.email_verified';
      planned.alsoInTransaction = async (trx) => {
        // A verified address belongs to one profile (R-ADM-10); the index decides a race.
        const owner = await findVerifiedOwner(trx, email.address.toLowerCase());
        if (owner !== undefined && owner !== user.id) {
          throw new AppError(
            'email_taken',
            `${email.address} is already a verified address of another user.`,
            {
              fieldErrors: [
                { field: 'address', message: 'is verified in another profile', kind: 'verified_elsewhere' },
              ],
            },
          );
        }
        await markEmailVerified(trx, user.id, email.id, clock.now());
        await deleteEmailVerification(trx, email.id);
      };
      return planned;
    });
  }

  async setPrimary(ctx: AuthedContext, emailId: string): Promise<void> {
    assertCapability(ctx, 'emails.change');
    await changeOwn(this.deps, ctx, ({ user, emails }) => {
      const email = findEmail(emails, emailId);
      // Unlike an administrator, the user cannot make an unproven address the one that logs in
      // and receives the codes.
      if (!email.verified) {
        throw new AppError('email_not_verified', 'Verify this address with the mailed code first.');
      }
      const planned = planSetPrimary(user, emails, email);
      planned.auditAction = 'account.email_primary_set';
      planned.alsoInTransaction = (trx) => setPrimaryEmail(trx, user.id, email.id);
      return planned;
    });
  }

  async remove(ctx: AuthedContext, emailId: string): Promise<void> {
    assertCapability(ctx, 'emails.change');
    await changeOwn(this.deps, ctx, ({ user, emails }) => {
      const email = findEmail(emails, emailId);
      const planned = planRemoveEmail(user, emails, email);
      planned.auditAction = 'account.email_removed';
      planned.alsoInTransaction = (trx) => deleteEmailRow(trx, user.id, email.id);
      return planned;
    });
  }

  private async sendCode(trx: Tx, user: User, emailId: string, address: string): Promise<void> {
    const { clock, publicUrl } = this.deps;
    const code = newEmailCode();
    const now = clock.now();
    await saveEmailVerification(trx, {
      email_id: emailId,
      user_id: user.id,
      code_hash: codeHash(emailId, code),
      created_at: now,
      expires_at: now + verificationTtlMs,
    });
    const link = `${publicUrl}/profile?verifyEmail=${encodeURIComponent(emailId)}&code=${code}`;
    // Marked login_code: the outbox listing and the mail log never show the code.
    await enqueueMail(
      trx,
      clock,
      { to: address, ...verificationMail(user.language, code, link) },
      'login_code',
    );
  }

  private audit(trx: Tx, ctx: AuthedContext, action: string, details: Record<string, unknown>) {
    return recordAudit(trx, this.deps.clock, ctx, {
      action,
      target: { type: 'user', id: ctx.user.id, label: ctx.user.displayName },
      details,
    });
  }
}

function invalidCode(detail: string): AppError {
  return new AppError('invalid_code', detail, {
    fieldErrors: [{ field: 'code', message: 'is not valid', kind: 'invalid_code' }],
  });
}

function verificationMail(language: string, code: string, link: string): { subject: string; text: string } {
  if (language === 'de') {
    return {
      subject: `Ihr Bestätigungscode: ${code}`,
      text:
        `Bitte bestätigen Sie diese E-Mail-Adresse für Ihr Konto.\n\nCode: ${code}\n\n` +
        `Oder öffnen Sie: ${link}\n\nDer Code gilt 24 Stunden und nur einmal. ` +
        'Wenn Sie diese Adresse nicht hinzugefügt haben, können Sie diese E-Mail ignorieren.',
    };
  }
  return {
    subject: `Your verification code: ${code}`,
    text:
      `Please confirm this e-mail address for your account.\n\nCode: ${code}\n\n` +
      `Or open: ${link}\n\nThe code works once, for 24 hours. ` +
      'If you did not add this address, you can ignore this mail.',
  };
}
