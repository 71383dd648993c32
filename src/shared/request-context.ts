import { randomUUID } from 'node:crypto';
import type { GeneralPermission, Role, SystemPermission } from '../permissions/catalogue.ts';
import type { Actor } from '../permissions/can.ts';

/** The signed-in identity as the server knows it for this request. */
export interface Principal {
  id: string;
  displayName: string;
  username: string | null;
  primaryEmail: string | null;
  language: string;
  role: Role;
  systemPermissions: SystemPermission[];
  generalPermissions: GeneralPermission[];
}

/** What a request learns about the impersonation its session belongs to (R-IMP-05, R-IMP-14). */
export interface ImpersonationInfo {
  id: string;
  /** The person really acting. */
  actor: Principal;
  startedAt: number;
  expiresAt: number;
  reason: string;
  /** Where it was started: 'users' or 'power-users' (where "back" returns to). */
  origin: string;
  /** Issue 12 #2: 'read-only' sessions look and change nothing. */
  mode: 'act' | 'read-only';
}

export interface SessionRef {
  id: string;
}

/**
 * What every service is told about the request it serves. Services take it explicitly (never
 * from a global), and the audit writer reads both identities from it.
 */
export interface RequestContext {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  session: SessionRef | null;
  /** Whose rights and data the request runs with (the subject while impersonating). */
  user: Principal | null;
  /** The person really acting, when that is someone else than `user` (impersonation). */
  actor: Principal | null;
  impersonationId: string | null;
  /** Details of the impersonation; `actor` and `impersonationId` above are its short forms. */
  impersonation: ImpersonationInfo | null;
  /** R-IMP-04: capabilities refused to this request (all of the setting's list while acting). */
  blockedCapabilities: string[];
  /**
   * The operator's command doing this on the server's host (`npm run admin -- unlock`): no user
   * of Behalf acts, so the audit trail names the command as the actor (label, no ID).
   */
  operator?: string;
}

/** The context of a signed-in request (what `requireUser` returns at the HTTP edge). */
export type AuthedContext = RequestContext & { user: Principal };

/** Context for work the server does on its own (bootstrap, workers). */
export function systemContext(requestId: string): RequestContext {
  return {
    requestId,
    ip: null,
    userAgent: null,
    session: null,
    user: null,
    actor: null,
    impersonationId: null,
    impersonation: null,
    blockedCapabilities: [],
  };
}

/** Context for an operator's command (`npm run admin`, src/ops/operator.ts). */
export function operatorContext(command: string): RequestContext {
  return { ...systemContext(`operator:${command}:${randomUUID()}`), operator: command };
}

/** The view of the context that authorization (permissions/can.ts) decides on. */
export function actorOf(ctx: RequestContext & { user: Principal }): Actor {
  return {
    id: ctx.user.id,
    role: ctx.user.role,
    systemPermissions: ctx.user.systemPermissions,
    generalPermissions: ctx.user.generalPermissions,
    impersonating: ctx.impersonationId !== null,
    impersonatorId: ctx.actor?.id ?? null,
  };
}
