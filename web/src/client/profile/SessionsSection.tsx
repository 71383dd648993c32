import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Group, Loader, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { endOtherSessions, endOwnSession, listOwnSessions, type OwnSession } from '../../api/account.ts';
import { useFormat } from '../../i18n/format.ts';
import { BlockedNotice, ProfileError, Section, useBlocked } from './shared.tsx';

/** A short name for a browser, from its user agent. */
function browserName(ua: string | null): string {
  if (!ua) return '–';
  const m = /(Edg|Firefox|Chrome|Chromium|Safari)\/[\d.]+/.exec(ua);
  return m ? m[0].replace('Edg/', 'Edge/') : ua.slice(0, 60);
}

/**
 * The user's signed-in browsers; end one, or all but this one. While an administrator acts as
 * the user, the list stays readable but nothing can be ended (R-IMP-04, `sessions.end`).
 */
export function SessionsSection() {
  const { t } = useTranslation();
  const blocked = useBlocked('sessions.end');
  const format = useFormat();
  const [sessions, setSessions] = useState<OwnSession[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setSessions((await listOwnSessions()).items);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    listOwnSessions().then((r) => setSessions(r.items), setError);
  }, []);

  const run = async (key: string, action: () => Promise<unknown>) => {
    setBusy(key);
    try {
      await action();
      setError(null);
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const others = sessions?.filter((s) => !s.current).length ?? 0;

  return (
    <Section
      id="sessions"
      title={t('profile.sessions.title')}
      description={t('profile.sessions.description')}
    >
      <Stack gap="sm">
        {!sessions && !error && <Loader size="sm" role="status" aria-label={t('common.loading')} />}
        {sessions && (
          <Table.ScrollContainer minWidth={520}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('profile.sessions.browser')}</Table.Th>
                  <Table.Th>{t('profile.sessions.ip')}</Table.Th>
                  <Table.Th>{t('profile.sessions.lastSeen')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('profile.sessions.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sessions.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>
                      <Group gap="xs">
                        <Text size="sm">{browserName(s.userAgent)}</Text>
                        {s.current && (
                          <Badge variant="light" c="dark.7">
                            {t('profile.sessions.current')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>{s.ip ?? '–'}</Table.Td>
                    <Table.Td title={format.exact(s.lastSeenAt)}>{format.dateTime(s.lastSeenAt)}</Table.Td>
                    <Table.Td>
                      {!s.current && !blocked && (
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          loading={busy === s.id}
                          onClick={() => void run(s.id, () => endOwnSession(s.id))}
                        >
                          {t('profile.sessions.end')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {blocked && <BlockedNotice />}
        {others > 0 && !blocked && (
          <Group>
            <Button
              variant="default"
              loading={busy === 'all'}
              onClick={() => void run('all', endOtherSessions)}
            >
              {t('profile.sessions.endOthers')}
            </Button>
          </Group>
        )}
        <ProfileError error={error} />
      </Stack>
    </Section>
  );
}
