import { isPowerUser } from '../permissions/can.ts';
import type { ImpersonationActor, ImpersonationContext, ImpersonationSubject } from './rule.ts';

// Issue 10 #19: the one builder of what decideImpersonation (rule.ts) decides on, for the start,
// the preview and the re-check of running impersonations alike. Pure: the service gathers the
// stored facts (reach, pending terms, settings) and this turns them into the rule's input, so
// the three cannot drift apart (e.g. one of them reading domains differently).

/** A power user's reach over the subject (orgs/reach.store.ts), null for everyone else. */
export interface ReachFacts {
  assigned: boolean;
  assignedDomainIds: readonly string[];
  subjectDomainId: string | null;
}

export interface FactsInput {
  actor: Omit<ImpersonationActor, 'impersonating'>;
  /** The request runs inside an impersonation already (never for a re-check). */
  impersonating: boolean;
  subject: ImpersonationSubject;
  reach: ReachFacts | null;
  /** The domain the impersonation runs (or is to run) in, if any. */
  domainId: string | null;
  notificationsEnabled: boolean;
  termsPending: boolean;
  acceptTermsOnBehalf: boolean;
}

export interface ImpersonationFacts {
  actor: ImpersonationActor;
  subject: ImpersonationSubject;
  context: ImpersonationContext;
}

/** Whose reach the rule asks about: power users, also those holding system permissions (issue 7 #6). */
export const needsReach = (actor: Pick<ImpersonationActor, 'role'>): boolean => isPowerUser(actor);

export function impersonationFacts(input: FactsInput): ImpersonationFacts {
  const { reach, domainId } = input;
  return {
    actor: {
      id: input.actor.id,
      role: input.actor.role,
      systemPermissions: input.actor.systemPermissions,
      generalPermissions: input.actor.generalPermissions,
      impersonating: input.impersonating,
    },
    subject: input.subject,
    context: {
      notificationsEnabled: input.notificationsEnabled,
      termsPending: input.termsPending,
      acceptTermsOnBehalf: input.acceptTermsOnBehalf,
      assigned: reach?.assigned ?? false,
      // Issue 10 #1: domains restrict only power users assigned to one.
      restrictedToDomains: (reach?.assignedDomainIds.length ?? 0) > 0,
      inAssignedDomain:
        reach !== null &&
        domainId !== null &&
        reach.assignedDomainIds.includes(domainId) &&
        reach.subjectDomainId === domainId,
    },
  };
}
