// Shapes of the server's answers: aliases of the types generated from its OpenAPI document
// (schema.d.ts, `npm run api:types`), so they cannot drift from what the server sends. A page
// that needs a new field finds it here once the route schema declares it.
import type { components, paths } from './schema';

/** Every named schema of the OpenAPI document. */
export type Schemas = components['schemas'];

/** The JSON a successful (200) GET or POST of a path answers. */
type Ok<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type Role = Schemas['User']['role'];
export type Language = Schemas['User']['language'];
export type Tag = Schemas['User']['tags'][number];
export type Gender = Schemas['User']['gender'];
export type TwoFactorMethod = Schemas['User']['twoFactorMethod'];

export type Session = Schemas['Session'];
export type Principal = Session['user'];
export type PendingTerm = Schemas['PendingTerm'];
export type Impersonation = NonNullable<Session['impersonation']>;
/** An impersonation that ended while the administrator was away (issue 10 #5). */
export type EndedImpersonation = NonNullable<Session['resumedAfter']>;
export type LoginAnswer = Ok<'/api/v1/auth/login', 'post'>;

export type UserListItem = Schemas['UserListItem'];
/** `total.capped`: more may match; shown as "1000+". */
export type UserListPage = Schemas['UserList'];

export type Notification = Schemas['Notification'];
export type NotificationPage = Ok<'/api/v1/account/notifications', 'get'>;
export type AccountTerms = Schemas['AccountTerms'];
export type ImpersonationStarted = Schemas['ImpersonationStarted'];

export type UserEmail = Schemas['UserEmail'];
/** GET /api/v1/admin/users/{id} (R-ADM-03): the user page's data; its ETag travels beside it. */
export type UserDetail = Schemas['User'];
