import type { ComponentType } from 'react';
import {
  IconApps,
  IconFileCertificate,
  IconHistory,
  IconLogin2,
  IconMail,
  IconSettings,
  IconShieldStar,
  IconTemplate,
  IconUserShield,
  IconUsers,
  IconUsersGroup,
  IconWorld,
} from '@tabler/icons-react';
import type { Session } from '../api/types.ts';
import { canListUsers, hasPermission, isPowerUser, isSuperadmin } from '../session/permissions.ts';
import { UsersPage } from './pages/UsersPage.tsx';
import { PowerUsersPage } from './pages/PowerUsersPage.tsx';
import { GroupsPage } from './pages/resources/groups.tsx';
import { DomainsPage } from './pages/resources/domains.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';
import { NotificationTemplatesPage } from './pages/NotificationTemplatesPage.tsx';
import { TermsPage } from './pages/TermsPage.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { OutboxPage } from './pages/OutboxPage.tsx';
import { ImpersonationsPage } from './pages/ImpersonationsPage.tsx';
import { LoginServicesPage } from './pages/LoginServicesPage.tsx';
import { AppsPage } from './pages/AppsPage.tsx';

// The admin console's pages: one entry each gives the route (/admin/<path>), the navigation
// link (label key in i18n `nav.<key>`) and who sees it. A person sees, and may open, only the
// entries `allowed` lets through; the server still checks every request.
//
// To add a page: write it in pages/, add its entry here with its component, add
// `nav.<key>` (and its own strings) to both i18n files.

export interface AdminPage {
  key: string;
  path: string;
  icon: ComponentType<{ size?: number; stroke?: number; 'aria-hidden'?: boolean }>;
  allowed: (s: Session) => boolean;
  component: ComponentType;
}

export const adminPages: AdminPage[] = [
  { key: 'users', path: 'users', icon: IconUsers, allowed: canListUsers, component: UsersPage },
  {
    key: 'powerUsers',
    path: 'power-users',
    icon: IconUserShield,
    // Roles and power users' resources are set by superadmins only.
    allowed: isSuperadmin,
    component: PowerUsersPage,
  },
  {
    key: 'groups',
    path: 'groups',
    icon: IconUsersGroup,
    allowed: (s) => hasPermission(s, 'users.read'),
    component: GroupsPage,
  },
  {
    key: 'domains',
    path: 'domains',
    icon: IconWorld,
    allowed: (s) => hasPermission(s, 'users.read'),
    component: DomainsPage,
  },
  {
    key: 'settings',
    path: 'settings',
    icon: IconSettings,
    allowed: (s) => hasPermission(s, 'settings.read'),
    component: SettingsPage,
  },
  {
    key: 'notificationTemplates',
    path: 'notification-templates',
    icon: IconTemplate,
    // R-IMP-09: power users neither see nor configure them, whatever they hold.
    allowed: (s) => !isPowerUser(s) && hasPermission(s, 'notifications.manage'),
    component: NotificationTemplatesPage,
  },
  {
    key: 'terms',
    path: 'terms',
    icon: IconFileCertificate,
    allowed: (s) => hasPermission(s, 'settings.manage'),
    component: TermsPage,
  },
  {
    key: 'loginServices',
    path: 'login-services',
    icon: IconLogin2,
    allowed: (s) => hasPermission(s, 'settings.manage'),
    component: LoginServicesPage,
  },
  {
    key: 'audit',
    path: 'audit',
    icon: IconHistory,
    allowed: (s) => hasPermission(s, 'audit.read'),
    component: AuditPage,
  },
  {
    key: 'outbox',
    path: 'outbox',
    icon: IconMail,
    allowed: (s) => !isPowerUser(s) && hasPermission(s, 'notifications.manage'),
    component: OutboxPage,
  },
  {
    key: 'impersonations',
    path: 'impersonations',
    icon: IconShieldStar,
    // As the server's impersonations.manage: users.impersonate, also for a power user holding it.
    allowed: (s) => hasPermission(s, 'users.impersonate'),
    component: ImpersonationsPage,
  },
  {
    key: 'apps',
    path: 'apps',
    icon: IconApps,
    // The apps that sign in through Behalf (issue 9).
    allowed: (s) => hasPermission(s, 'apps.manage'),
    component: AppsPage,
  },
];

/** The pages this person may open, in navigation order. */
export const visiblePages = (s: Session) => adminPages.filter((p) => p.allowed(s));
