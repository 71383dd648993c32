import { call, client } from './client.ts';
import type { paths } from './schema';
import type { Schemas } from './types.ts';

// R-ADM-10, connecting profiles: which profiles an unverified address points to, the preview
// of a merge, and the merge itself with the two ETags the preview answered.

export type MergeCandidate = NonNullable<
  paths['/api/v1/admin/users/{id}/merge-candidates']['get']['responses'][200]['content']
>['application/json']['items'][number];

/** The tables a merge moves rows of; the page shows each. */
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

type TableCounts = Schemas['MergePreview']['tables'][string];

// The route's schema declares `tables` as a record of any table name; the server fills in every
// table above (src/users/merge/merge-plan.ts), which the page reads by name.
export type MergePreview = Omit<Schemas['MergePreview'], 'tables'> & {
  tables: Record<MergedTable, TableCounts>;
};
export type Rights = MergePreview['result']['permissions'];
export type MergeChoices = Schemas['MergeChoicesInput'];
export type PermissionsChoice = NonNullable<MergeChoices['permissions']>;
export type DomainChoice = NonNullable<MergeChoices['domain']>;

const byId = (id: string) => ({ params: { path: { id } } });

export const mergeCandidates = (id: string) =>
  call(client.GET('/api/v1/admin/users/{id}/merge-candidates', byId(id)));

export const previewMerge = (
  survivorId: string,
  absorbId: string,
  choices: MergeChoices,
): Promise<MergePreview> =>
  call(
    client.POST('/api/v1/admin/users/{id}/merge-preview', {
      ...byId(survivorId),
      body: { absorbId, choices },
    }),
  ).then((preview) => preview as MergePreview);

export const mergeProfiles = (preview: MergePreview, choices: MergeChoices) =>
  call(
    client.POST('/api/v1/admin/users/{id}/merge', {
      ...byId(preview.survivor.id),
      body: {
        absorbId: preview.absorbed.id,
        survivorETag: preview.survivorETag,
        absorbETag: preview.absorbETag,
        choices,
      },
    }),
  );
