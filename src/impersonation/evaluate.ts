import type { Database } from '../db/database.ts';
import { AppError } from '../shared/errors.ts';
import type { AuthedContext } from '../shared/request-context.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { User } from '../users/user.ts';
import { decideImpersonation } from './rule.ts';
import { impersonationFacts, needsReach } from './facts.ts';
import type { ImpersonationPorts } from './ports.ts';

// The impersonation rule (rule.ts) applied to one actor and subject, with the facts gathered
// from the database. The start and its preview (preview.ts) both ask it, so the dialog never
// promises what the start then refuses.

export interface EvaluationDeps {
  database: Database;
  settings: SettingsService;
  ports: ImpersonationPorts;
}

export interface EvaluationOptions {
  domainId: string | undefined;
  acceptTermsOnBehalf: boolean;
  /** The start insists on a domain where it is a must; the preview only lists the candidates. */
  requireDomainPick: boolean;
}

export async function evaluateStart(
  deps: EvaluationDeps,
  ctx: AuthedContext,
  subject: User,
  opts: EvaluationOptions,
) {
  const db = deps.database.db;
  const settings = await deps.settings.get();
  const actor = ctx.user;
  // Power users, also those who hold system permissions besides (issue 7 #6), act on their reach.
  const isPowerUser = needsReach(actor);
  // The domain is a must only where the resource path is the actor's only one; with
  // `users.impersonate` the system path needs none (rule.ts: the union of both paths).
  const domainOnlyPath = isPowerUser && !actor.systemPermissions.includes('users.impersonate');
  const reach = isPowerUser ? await deps.ports.reachOf(db, actor.id, subject.id) : null;
  // Issue 10 #1: domains restrict only power users assigned to one; a domain existing somewhere
  // on the platform changes nothing for superadmins, system administrators or the others.
  const domainsInUse = (reach?.assignedDomainIds.length ?? 0) > 0;
  const domain = await pickDomain(
    deps,
    opts.domainId,
    opts.requireDomainPick && domainOnlyPath && domainsInUse,
  );
  const termsPending = await deps.ports.termsPending(db, subject.id);
  const facts = impersonationFacts({
    actor,
    impersonating: ctx.impersonationId !== null,
    subject,
    reach,
    domainId: domain?.id ?? null,
    notificationsEnabled: settings.notifications.enabled,
    termsPending,
    acceptTermsOnBehalf: opts.acceptTermsOnBehalf,
  });
  const decision = decideImpersonation(facts.actor, facts.subject, facts.context);
  return { decision, domain, reach, isPowerUser, domainOnlyPath, domainsInUse, termsPending };
}

async function pickDomain(deps: EvaluationDeps, domainId: string | undefined, required: boolean) {
  if (domainId === undefined) {
    if (required) {
      throw new AppError('domain_required', 'Pick the domain to act in.', {
        fieldErrors: [{ field: 'domainId', message: 'is required', kind: 'required' }],
      });
    }
    return undefined;
  }
  const domain = await deps.ports.findDomain(deps.database.db, domainId);
  if (!domain) {
    throw new AppError('unknown_domain', 'There is no such domain.', {
      fieldErrors: [
        { field: 'domainId', message: 'names no domain', kind: 'not_found', params: { what: 'domain' } },
      ],
    });
  }
  return domain;
}
