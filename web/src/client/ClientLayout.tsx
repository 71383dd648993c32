import { useCallback, useEffect, useState } from 'react';
import { ActionIcon, Anchor, Group, Indicator, Tooltip } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { Link, Outlet, useOutletContext } from 'react-router';
import { useTranslation } from 'react-i18next';
import { listNotifications } from '../api/account.ts';
import type { NotificationPage } from '../api/types.ts';
import { RequireSignIn } from '../auth/RequireSignIn.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { UserMenu } from '../layout/UserMenu.tsx';
import classes from '../layout/Shell.module.css';

// The user client (/): the signed-in user's own pages. The header carries the notification
// bell (with a dot while something is unread), the language switch and the user menu.

export interface ClientContext {
  notifications: NotificationPage | null;
  notificationsError: unknown;
  reloadNotifications: () => Promise<void>;
}

export const useClientContext = () => useOutletContext<ClientContext>();

export function ClientArea() {
  return (
    <RequireSignIn area="client">
      <ClientShell />
    </RequireSignIn>
  );
}

function ClientShell() {
  const { t } = useTranslation();
  const [notifications, setNotifications] = useState<NotificationPage | null>(null);
  const [notificationsError, setNotificationsError] = useState<unknown>(null);

  const reloadNotifications = useCallback(async () => {
    try {
      setNotifications(await listNotifications());
      setNotificationsError(null);
    } catch (e) {
      setNotificationsError(e);
    }
  }, []);
  useEffect(() => {
    listNotifications().then(setNotifications, setNotificationsError);
  }, []);

  const unread = notifications?.unreadCount ?? 0;
  const context: ClientContext = { notifications, notificationsError, reloadNotifications };
  return (
    <>
      <header className={classes.header}>
        <Anchor component={Link} to="/" className={classes.brand}>
          {t('app.name')}
        </Anchor>
        <Group gap="md" wrap="nowrap">
          <Anchor component={Link} to="/profile" size="sm">
            {t('profile.title')}
          </Anchor>
          <Tooltip label={t('notifications.bell', { count: unread })}>
            <Indicator
              disabled={unread === 0}
              color="red"
              size={10}
              offset={4}
              processing={false}
              data-testid="bell-dot"
              data-unread={unread > 0 || undefined}
            >
              <ActionIcon
                component={Link}
                to="/notifications"
                variant="subtle"
                color="gray"
                size="lg"
                aria-label={t('notifications.bell', { count: unread })}
              >
                <IconBell size={20} aria-hidden />
              </ActionIcon>
            </Indicator>
          </Tooltip>
          <LanguageSwitch />
          <UserMenu area="client" />
        </Group>
      </header>
      <div className={`${classes.body} ${classes.bodyWithoutNav}`}>
        <main className={classes.main}>
          <Outlet context={context} />
        </main>
      </div>
    </>
  );
}
