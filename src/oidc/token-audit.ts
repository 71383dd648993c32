import type Provider from 'oidc-provider';
import type { Services } from '../services.ts';
import { recordAudit } from '../audit/audit.ts';
import { findImpersonation } from '../impersonation/impersonation.store.ts';
import { findUser } from '../users/users.store.ts';
import { principalOf } from '../users/user.ts';
import type { RequestContext } from '../shared/request-context.ts';
import { findApp } from './apps.store.ts';
import { findGrantLink } from './oidc.store.ts';

// R-IMP-14: "Tokens issued while acting are recorded in the audit trail with the impersonation."
// The sign-in (the grant) is recorded by the interaction (app.signed_in_while_acting); each
// answer of the token endpoint that issued tokens in an impersonation (the code exchange and
// every refresh) is recorded here as app.token_issued, as the subject's with the actor, before
// the answer leaves: if the trail cannot be written, the app gets an error, not the tokens.

interface TokenCtx {
  status: number;
  body: unknown;
  ip?: string;
  get(header: string): string;
  oidc?: {
    route?: string;
    params?: { grant_type?: unknown };
    client?: { clientId: string };
    entities: { Grant?: { jti: string } };
  };
}

/** The provider middleware that audits tokens issued while acting. */
export function auditTokensIssuedWhileActing(provider: Provider, services: Services): void {
  const app = provider as unknown as {
    use(fn: (ctx: TokenCtx, next: () => Promise<void>) => Promise<void>): unknown;
  };
  app.use(async (ctx, next) => {
    await next();
    const oidc = ctx.oidc;
    if (oidc?.route !== 'token' || ctx.status !== 200 || !oidc.client || !oidc.entities.Grant) return;
    await recordIfActing(
      services,
      ctx,
      oidc.client.clientId,
      oidc.entities.Grant.jti,
      String(oidc.params?.grant_type),
    );
  });
}

async function recordIfActing(
  services: Services,
  ctx: TokenCtx,
  clientId: string,
  grantId: string,
  grantType: string,
): Promise<void> {
  const db = services.database.db;
  const link = await findGrantLink(db, grantId);
  if (!link?.impersonation_id) return;
  const imp = await findImpersonation(db, link.impersonation_id);
  if (!imp) return;
  const [subject, actor, app] = await Promise.all([
    findUser(db, imp.subject_id),
    findUser(db, imp.actor_id),
    findApp(db, clientId),
  ]);
  if (!subject || !actor) return;
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  const issued = ['access_token', 'id_token', 'refresh_token'].filter((k) => typeof body[k] === 'string');
  const auditCtx: RequestContext = {
    requestId: `oidc-token:${grantId}`,
    ip: ctx.ip ?? null,
    userAgent: ctx.get('user-agent') || null,
    session: { id: link.session_id },
    user: principalOf(subject),
    actor: principalOf(actor),
    impersonationId: imp.id,
    impersonation: {
      id: imp.id,
      actor: principalOf(actor),
      startedAt: imp.started_at,
      expiresAt: imp.expires_at,
      reason: imp.reason,
      origin: imp.origin,
      mode: imp.mode === 'read-only' ? 'read-only' : 'act',
    },
    blockedCapabilities: [],
  };
  await services.database.transaction((trx) =>
    recordAudit(trx, services.clock, auditCtx, {
      action: 'app.token_issued',
      target: { type: 'app', id: clientId, label: app?.name ?? null },
      details: {
        grantId,
        grantType,
        tokens: issued,
        subjectId: subject.id,
        actorId: actor.id,
        impersonationId: imp.id,
      },
    }),
  );
}
