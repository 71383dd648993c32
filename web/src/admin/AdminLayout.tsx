import { Alert, Anchor, Group, NavLink, Paper, Stack, Text, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { Link, Navigate, Outlet, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { RequireSignIn } from '../auth/RequireSignIn.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { UserMenu } from '../layout/UserMenu.tsx';
import { useSession } from '../session/SessionContext.tsx';
import { isAdministrator } from '../session/permissions.ts';
import classes from '../layout/Shell.module.css';
import { visiblePages, type AdminPage } from './nav.tsx';

export { NotFoundPage } from '../layout/NotFoundPage.tsx';

/** /admin: signed-in administrators only; navigation shows what this person may open. */
export function AdminArea() {
  return (
    <RequireSignIn area="admin">
      <AdminShell />
    </RequireSignIn>
  );
}

function AdminShell() {
  const { t } = useTranslation();
  const { session } = useSession();
  const { pathname } = useLocation();
  if (!session) return null;
  // R-IMP-03, issue 10 #4: the session carries the subject's rights, so acting as a power user or
  // a system administrator shows their console; acting as anyone else, there is none to show
  // (the actor's own rights are unavailable for the whole impersonation).
  const blocked = session.impersonation !== null && !isAdministrator(session);
  const pages = blocked ? [] : visiblePages(session);
  const showNav = !blocked && isAdministrator(session);

  return (
    <>
      <header className={classes.header}>
        <Anchor component={Link} to="/admin" className={classes.brand}>
          {t('app.name')} · {t('admin.title')}
        </Anchor>
        <Group gap="md" wrap="nowrap">
          <LanguageSwitch />
          <UserMenu area="admin" />
        </Group>
      </header>
      <div className={showNav ? classes.body : `${classes.body} ${classes.bodyWithoutNav}`}>
        {showNav && (
          <nav className={classes.nav} aria-label={t('admin.navigation')}>
            <div className={classes.navInner}>
              {pages.map((p) => (
                <NavLink
                  key={p.key}
                  component={Link}
                  to={`/admin/${p.path}`}
                  label={t(`nav.${p.key}`)}
                  leftSection={<p.icon size={18} aria-hidden />}
                  active={pathname === `/admin/${p.path}` || pathname.startsWith(`/admin/${p.path}/`)}
                  aria-current={pathname.startsWith(`/admin/${p.path}`) ? 'page' : undefined}
                />
              ))}
            </div>
          </nav>
        )}
        <main className={classes.main}>
          {blocked ? <Unavailable /> : !isAdministrator(session) ? <NoAccess /> : <Outlet />}
        </main>
      </div>
    </>
  );
}

/** /admin itself: the first page this person may open. */
export function AdminIndex() {
  const { session } = useSession();
  const first = session ? visiblePages(session)[0] : undefined;
  return first ? <Navigate to={`/admin/${first.path}`} replace /> : <NoAccess />;
}

/** A page of the console, shown only to those its navigation entry admits. */
export function AdminRoute({ page }: { page: AdminPage }) {
  const { session } = useSession();
  if (!session || !page.allowed(session)) return <NoAccess />;
  const Page = page.component;
  return <Page />;
}

function Unavailable() {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" icon={<IconInfoCircle aria-hidden />} title={t('admin.unavailableTitle')}>
      {t('admin.unavailable')}
    </Alert>
  );
}

function NoAccess() {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="xl" maw={560}>
      <Stack>
        <Title order={1} size="h2">
          {t('admin.noAccessTitle')}
        </Title>
        <Text>{t('admin.noAccess')}</Text>
        <Anchor component={Link} to="/">
          {t('admin.toClient')}
        </Anchor>
      </Stack>
    </Paper>
  );
}
