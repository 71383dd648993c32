// Shared by the tables of can() and canGrant(): a letter per decision, and the actor kinds.
import type { Actor, Decision } from './can.ts';
import { systemPermissions } from './catalogue.ts';

// One letter per decision, so that a row of the table fits on a line.
export const code = {
  A: null,
  M: 'missing_permission',
  S: 'self_administration',
  T: 'target_is_superadmin',
  E: 'escalation',
} as const;
export type Code = keyof typeof code;

export function letter(d: Decision): Code {
  if (d.allowed) return 'A';
  return (Object.keys(code) as Code[]).find((k) => code[k] === d.reason)!;
}

export const all = [...systemPermissions];
export const actors = {
  superadmin: {
    id: 'sa',
    role: 'superadmin',
    systemPermissions: [],
    generalPermissions: [],
    impersonating: false,
  },
  'system admin with every permission': {
    id: 'all',
    role: 'user',
    systemPermissions: all,
    generalPermissions: [],
    impersonating: false,
  },
  'system admin with users.read': {
    id: 'read',
    role: 'user',
    systemPermissions: ['users.read'],
    generalPermissions: [],
    impersonating: false,
  },
  'system admin with users.update': {
    id: 'upd',
    role: 'user',
    systemPermissions: ['users.update'],
    generalPermissions: [],
    impersonating: false,
  },
  'plain user': {
    id: 'plain',
    role: 'user',
    systemPermissions: [],
    generalPermissions: [],
    impersonating: false,
  },
  // Targets here carry no `inReach`: a power user's reads by reach have their own table below.
  'power user': {
    id: 'pu',
    role: 'power-user',
    systemPermissions: [],
    generalPermissions: [],
    impersonating: false,
  },
  // Issue 10 #4: a session acting as a system administrator, opened by the administrator
  // 't-greater' (a target column of the tables): the subject's rights, never on the actor.
  'acting as a system admin with every permission': {
    id: 'all-subject',
    role: 'user',
    systemPermissions: all,
    generalPermissions: [],
    impersonating: true,
    impersonatorId: 't-greater',
  },
} satisfies Record<string, Actor>;
export type ActorKind = keyof typeof actors;
