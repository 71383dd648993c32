import { isPowerUser } from '../permissions/can.ts';
// Issue 12 #2, read-only impersonation: an actor either acts as the user ('act') or only looks
// ('read-only'): the acting session may read everything the user sees and change nothing. The
// settings say which mode a start gets by default and which kinds of actor may act at all.
// Pure; tested by a table (mode.test.ts).

export const impersonationModes = ['act', 'read-only'] as const;
export type ImpersonationMode = (typeof impersonationModes)[number];

/** The kinds of actor the setting `actAllowedFor` names. */
export const actorKinds = ['system-administrators', 'power-users'] as const;
export type ActorKind = (typeof actorKinds)[number];

export interface ModeActor {
  role: string;
  systemPermissions: readonly string[];
}

export interface ModeSettings {
  defaultMode: ImpersonationMode;
  actAllowedFor: readonly ActorKind[];
}

/** What an actor is, for the setting: a power user who also holds system permissions is both. */
export function kindsOf(actor: ModeActor): ActorKind[] {
  const kinds: ActorKind[] = [];
  if (actor.role === 'superadmin' || actor.systemPermissions.length > 0) kinds.push('system-administrators');
  if (isPowerUser(actor)) kinds.push('power-users');
  return kinds;
}

export type ModeDecision =
  { allowed: true; mode: ImpersonationMode } | { allowed: false; reason: 'act_not_allowed' };

/**
 * The mode a start runs in. Without a pick, the default; an actor who may not act gets
 * 'read-only' when the default is 'act' (looking is never less allowed than acting). A pick of
 * 'act' by an actor who may not act is refused, never silently turned into looking.
 */
export function decideMode(
  requested: ImpersonationMode | undefined,
  settings: ModeSettings,
  actor: ModeActor,
): ModeDecision {
  const mayAct = kindsOf(actor).some((k) => settings.actAllowedFor.includes(k));
  if (requested === 'act' && !mayAct) return { allowed: false, reason: 'act_not_allowed' };
  const mode = requested ?? settings.defaultMode;
  return { allowed: true, mode: mode === 'act' && !mayAct ? 'read-only' : mode };
}

/** For the start dialog: the preselected mode, and whether "act" is offered at all. */
export function previewMode(
  settings: ModeSettings,
  actor: ModeActor,
): { defaultMode: ImpersonationMode; actAllowed: boolean } {
  const d = decideMode(undefined, settings, actor);
  return {
    defaultMode: d.allowed ? d.mode : 'read-only',
    actAllowed: decideMode('act', settings, actor).allowed,
  };
}

/** The requests a read-only impersonation still makes: going back and signing out. */
export function allowedWhileReadOnly(method: string, readOnlySafe: boolean): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || readOnlySafe;
}
