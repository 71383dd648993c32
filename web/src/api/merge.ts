import { api } from './client.ts';
import type { Role, UserDetail } from './types.ts';

// R-ADM-10, connecting profiles: which profiles an unverified address points to, the preview
// of a merge, and the merge itself with the two ETags the preview answered.

const base = (id: string) => `/api/v1/admin/users/${encodeURIComponent(id)}`;

export interface MergeCandidate {
  emailId: string;
  address: string;
  user: { id: string; displayName: string; primaryEmail: string | null };
}

export interface Rights {
  role: Role;
  system: string[];
  general: string[];
}

export type PermissionsChoice = 'survivor' | 'union' | 'absorbed';
export type DomainChoice = 'survivor' | 'absorbed';
export interface MergeChoices {
  permissions?: PermissionsChoice;
  domain?: DomainChoice;
}

export type MergedTable =
  | 'user_emails'
  | 'linked_accounts'
  | 'group_members'
  | 'power_user_resources'
  | 'policy_acceptances'
  | 'notifications'
  | 'user_preferences'
  | 'sessions'
  | 'login_challenges'
  | 'email_verifications'
  | 'totp_enrolments'
  | 'oidc_grant_links';

export interface MergePreview {
  survivor: UserDetail;
  absorbed: UserDetail;
  survivorETag: string;
  absorbETag: string;
  suggestedSurvivorId: string;
  connectingAddresses: string[];
  differences: {
    permissions: { survivor: Rights; absorbed: Rights; union: Rights } | null;
    domain: { survivor: string | null; absorbed: string | null } | null;
  };
  result: { permissions: Rights; domainId: string | null };
  emails: { move: Array<{ address: string; verified: boolean }>; drop: string[]; verify: string[] };
  linkedAccounts: { move: number };
  groups: { move: string[]; drop: string[] };
  powerUserResources: { move: string[]; drop: string[] };
  assignmentsDropped: string[];
  termsAcceptances: { move: number; drop: number };
  notifications: { move: number };
  preferences: { move: string[]; drop: string[] };
  droppedProfile: string[];
  tables: Record<MergedTable, { moved: number; dropped: number; replaced: number }>;
}

export const mergeCandidates = (id: string) =>
  api.get<{ items: MergeCandidate[] }>(`${base(id)}/merge-candidates`);

export const previewMerge = (survivorId: string, absorbId: string, choices: MergeChoices) =>
  api.post<MergePreview>(`${base(survivorId)}/merge-preview`, { absorbId, choices });

export const mergeProfiles = (preview: MergePreview, choices: MergeChoices) =>
  api.post<UserDetail>(`${base(preview.survivor.id)}/merge`, {
    absorbId: preview.absorbed.id,
    survivorETag: preview.survivorETag,
    absorbETag: preview.absorbETag,
    choices,
  });
