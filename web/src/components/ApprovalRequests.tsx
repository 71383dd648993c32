import { useCallback, useEffect, useState } from 'react';
import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApprovalRequest, Decision } from '../api/approvals.ts';
import { useFormat } from '../i18n/format.ts';
import { ErrorAlert } from './ErrorAlert.tsx';

// Issue 12 #3, #4: a list of pending requests to act as a user, each with approve and decline.
// The user's consent requests (My Profile) and the four-eyes requests (console) share it.

export function ApprovalRequests({
  area,
  load,
  decide,
  hideWhenEmpty = false,
}: {
  /** The strings' section: approvals.consent or approvals.fourEyes. */
  area: 'consent' | 'fourEyes';
  load: () => Promise<{ items: ApprovalRequest[] }>;
  decide: (id: string, decision: Decision) => Promise<ApprovalRequest>;
  /** Four eyes: with the setting off there is never anything to show. */
  hideWhenEmpty?: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const [items, setItems] = useState<ApprovalRequest[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState('');

  const reload = useCallback(async () => {
    try {
      setItems((await load()).items);
    } catch (e) {
      setError(e);
    }
  }, [load]);
  useEffect(() => {
    load().then((r) => setItems(r.items), setError);
  }, [load]);

  const answer = async (r: ApprovalRequest, decision: Decision) => {
    setBusy(r.id);
    setError(null);
    try {
      await decide(r.id, decision);
      if (area === 'consent') {
        const key = decision === 'approve' ? 'approved' : 'declined';
        setNotice(t(`approvals.consent.${key}`, { actor: r.actor.displayName }));
      }
      await reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  if (hideWhenEmpty && items?.length === 0 && !notice && !error) return null;
  return (
    <Stack gap="xs" data-approval-list={area}>
      <Title order={2} size="h4">
        {t(`approvals.${area}.title`)}
      </Title>
      <Text size="sm" c="dimmed">
        {t(`approvals.${area}.intro`)}
      </Text>
      {notice && (
        <Text size="sm" role="status">
          {notice}
        </Text>
      )}
      <ErrorAlert error={error} />
      {items?.length === 0 && <Text size="sm">{t(`approvals.${area}.none`)}</Text>}
      {items?.map((r) => (
        <Paper key={r.id} withBorder p="sm" data-request={r.id}>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t(`approvals.${area}.request`, {
                actor: r.actor.displayName,
                subject: r.subject.displayName,
                minutes: r.plannedMinutes,
              })}
            </Text>
            <Text size="sm">{t('approvals.consent.reason', { reason: r.reason })}</Text>
            <Text size="xs" c="dimmed">
              {t('approvals.consent.until', { time: format.dateTime(r.expiresAt) })}
            </Text>
            <Group mt={4}>
              <Button size="xs" loading={busy === r.id} onClick={() => void answer(r, 'approve')}>
                {t(`approvals.${area}.approve`)}
              </Button>
              <Button
                size="xs"
                variant="default"
                disabled={busy === r.id}
                onClick={() => void answer(r, 'decline')}
              >
                {t(`approvals.${area}.decline`)}
              </Button>
            </Group>
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
