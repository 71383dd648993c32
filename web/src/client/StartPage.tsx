import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import { Badge, Button, Card, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { markNotificationRead } from '../api/account.ts';
import type { Notification } from '../api/types.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useFormat } from '../i18n/format.ts';
import { useSession } from '../session/SessionContext.tsx';
import { useClientContext } from './ClientLayout.tsx';
import classes from './StartPage.module.css';

/** The user's start page: who they are, and their notifications, unread ones marked. */
export function StartPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { session } = useSession();
  const { notifications, notificationsError, reloadNotifications } = useClientContext();
  const { hash } = useLocation();
  // The bell links here (/#notifications).
  useEffect(() => {
    if (hash === '#notifications' && notifications) {
      document.getElementById('notifications-section')?.scrollIntoView({ block: 'start' });
    }
  }, [hash, notifications]);
  if (!session) return null;
  const u = session.user;

  return (
    <Stack maw={960}>
      <Title order={1} size="h2">
        {t('start.greeting', { name: u.displayName })}
      </Title>
      <Card withBorder component="section" aria-labelledby="overview-title">
        <Title order={2} size="h4" id="overview-title" mb="sm">
          {t('start.overview')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Fact label={t('start.name')} value={u.displayName} />
          <Fact label={t('start.email')} value={u.primaryEmail ?? '–'} />
          <Fact label={t('start.username')} value={u.username ?? '–'} />
          <Fact label={t('start.language')} value={t(`language.names.${u.language}`)} />
          <Fact label={t('start.role')} value={t(`roles.${u.role}`)} />
          <Fact
            label={t('start.unread')}
            value={notifications ? format.number(notifications.unreadCount) : '…'}
          />
        </SimpleGrid>
      </Card>
      <section aria-labelledby="notifications" id="notifications-section" className={classes.section}>
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4" id="notifications">
            {t('notifications.title')}
          </Title>
          {notifications && notifications.unreadCount > 0 && (
            <Badge color="red" variant="filled">
              {t('notifications.unreadCount', { count: notifications.unreadCount })}
            </Badge>
          )}
        </Group>
        <ErrorAlert error={notificationsError} />
        {!notifications && !notificationsError && <Loader role="status" aria-label={t('common.loading')} />}
        {notifications && notifications.items.length === 0 && (
          <Paper withBorder p="md">
            <Text c="dimmed">{t('notifications.empty')}</Text>
          </Paper>
        )}
        <Stack gap="xs" component="ul" className={classes.list}>
          {notifications?.items.map((n) => (
            <NotificationItem key={n.id} notification={n} onChanged={reloadNotifications} />
          ))}
        </Stack>
      </section>
    </Stack>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text>{value}</Text>
    </div>
  );
}

/** One notification; also the rows of the notifications page. */
export function NotificationItem({
  notification: n,
  onChanged,
}: {
  notification: Notification;
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { session } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // R-IMP-09, issue 12 #6: an impersonated session marks nothing read; the user finds unread
  // whatever they have not read themselves.
  const locked = session?.impersonation !== null;

  const markRead = async () => {
    setBusy(true);
    try {
      await markNotificationRead(n.id);
      await onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper
      component="li"
      withBorder
      p="md"
      className={n.read ? classes.item : `${classes.item} ${classes.unread}`}
      data-unread={!n.read || undefined}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Group gap="xs">
            {!n.read && <span className={classes.dot} aria-hidden />}
            <Text fw={n.read ? 500 : 700}>{n.title}</Text>
            {!n.read && (
              <Badge size="xs" color="red" variant="light" c="dark.7">
                {t('notifications.unread')}
              </Badge>
            )}
          </Group>
          <Text size="xs" c="dimmed" title={format.exact(n.createdAt)}>
            {format.dateTime(n.createdAt)}
          </Text>
          <Text size="sm" mt="xs" style={{ whiteSpace: 'pre-wrap' }}>
            {n.body}
          </Text>
          {!n.read && locked && (
            <Text size="xs" c="dimmed" mt="xs" data-testid="read-locked">
              {t('inbox.lockedWhileActing')}
            </Text>
          )}
          <ErrorAlert error={error} />
        </div>
        {!n.read && !locked && (
          <Button
            size="xs"
            variant="subtle"
            loading={busy}
            onClick={() => void markRead()}
            style={{ flexShrink: 0 }}
          >
            {t('notifications.markRead')}
          </Button>
        )}
      </Group>
    </Paper>
  );
}
