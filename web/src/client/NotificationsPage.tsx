import { useState } from 'react';
import { Badge, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { listNotifications } from '../api/account.ts';
import type { Notification } from '../api/types.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useClientContext } from './ClientLayout.tsx';
import { NotificationItem } from './StartPage.tsx';
import classes from './StartPage.module.css';

/**
 * All of the user's notifications, newest first; the bell leads here. Unread ones can be marked
 * read, except while an administrator acts as the user (R-IMP-09, issue 12 #6): the page says so.
 */
export function NotificationsPage() {
  const { t } = useTranslation();
  const { notifications, notificationsError, reloadNotifications } = useClientContext();
  const [more, setMore] = useState<Notification[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const next = cursor === undefined ? notifications?.nextCursor : cursor;

  const loadMore = async () => {
    if (!next) return;
    setBusy(true);
    try {
      const page = await listNotifications(next);
      setMore((m) => [...m, ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const reload = async () => {
    setMore([]);
    setCursor(undefined);
    await reloadNotifications();
  };

  return (
    <Stack maw={960}>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('inbox.title')}
        </Title>
        {notifications && notifications.unreadCount > 0 && (
          <Badge color="red" variant="filled">
            {t('notifications.unreadCount', { count: notifications.unreadCount })}
          </Badge>
        )}
      </Group>
      <ErrorAlert error={notificationsError ?? error} />
      {!notifications && !notificationsError && <Loader role="status" aria-label={t('common.loading')} />}
      {notifications && notifications.items.length === 0 && (
        <Paper withBorder p="md">
          <Text c="dimmed">{t('notifications.empty')}</Text>
        </Paper>
      )}
      <Stack gap="xs" component="ul" className={classes.list} aria-label={t('inbox.title')}>
        {[...(notifications?.items ?? []), ...more].map((n) => (
          <NotificationItem key={n.id} notification={n} onChanged={reload} />
        ))}
      </Stack>
      {next && (
        <Group>
          <Button variant="default" loading={busy} onClick={() => void loadMore()}>
            {t('inbox.more')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
