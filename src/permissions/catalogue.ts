// R-ADM-07: the fixed catalogue of permissions. Documented in docs/permissions.md; the API
// rejects any other name with `unknown_permission`.

export const systemPermissions = [
  'users.read', // list, search and read users and their details
  'users.create', // create users (R-ADM-01)
  'users.update', // edit profiles, e-mails, activate/deactivate (R-ADM-03, 05, 09)
  'users.credentials', // generate/set passwords, two-factor method, reset login attempts (R-ADM-12..14)
  'users.permissions', // grant and revoke permissions of others (never beyond one's own)
  'users.delete', // delete users (R-ADM-15)
  'users.impersonate', // act as a user (R-IMP-02)
  'settings.read', // read application settings
  'settings.manage', // change application settings
  'notifications.manage', // notification templates (R-IMP-09)
  'audit.read', // read the audit trail
  'groups.manage', // create, rename and delete groups, set their members (reading needs users.read)
  'domains.manage', // create, rename and delete domains and their host names (reading needs users.read)
  'apps.manage', // register, change and delete the apps that sign in through Behalf (issue 9)
] as const;

export const generalPermissions = ['support', 'help'] as const;

export type SystemPermission = (typeof systemPermissions)[number];
export type GeneralPermission = (typeof generalPermissions)[number];

export const roles = ['user', 'power-user', 'superadmin'] as const;
export type Role = (typeof roles)[number];

export function isSystemPermission(value: string): value is SystemPermission {
  return (systemPermissions as readonly string[]).includes(value);
}
export function isGeneralPermission(value: string): value is GeneralPermission {
  return (generalPermissions as readonly string[]).includes(value);
}
