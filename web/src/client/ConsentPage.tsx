import { useEffect, useState } from 'react';
import { Alert, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  consentByToken,
  decideConsentByToken,
  type ApprovalRequest,
  type Decision,
} from '../api/approvals.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useFormat } from '../i18n/format.ts';

// Issue 12 #3: where the consent mail's link leads. Opening it decides nothing (mail scanners
// open links); the user, signed in as themselves, approves or declines with a button (a POST).

export function ConsentPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [request, setRequest] = useState<ApprovalRequest | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Decision | null>(null);

  useEffect(() => {
    consentByToken(token).then(setRequest, setError);
  }, [token]);

  const decide = async (decision: Decision) => {
    setBusy(true);
    setError(null);
    try {
      setRequest(await decideConsentByToken(token, decision));
      setDone(decision);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack maw={640}>
      <Title order={1} size="h2">
        {t('approvals.consent.pageTitle')}
      </Title>
      <ErrorAlert error={error} />
      {!request && !error && (
        <Group>
          <Loader size="sm" role="status" aria-label={t('approvals.consent.loading')} />
        </Group>
      )}
      {request && (
        <Paper withBorder p="md">
          <Stack gap="xs">
            <Text fw={500}>
              {t('approvals.consent.request', {
                actor: request.actor.displayName,
                minutes: request.plannedMinutes,
              })}
            </Text>
            <Text size="sm">{t('approvals.consent.reason', { reason: request.reason })}</Text>
            {done === null && (
              <>
                <Text size="xs" c="dimmed">
                  {t('approvals.consent.until', { time: format.dateTime(request.expiresAt) })}
                </Text>
                <Group mt="xs">
                  <Button loading={busy} onClick={() => void decide('approve')}>
                    {t('approvals.consent.approve')}
                  </Button>
                  <Button variant="default" disabled={busy} onClick={() => void decide('decline')}>
                    {t('approvals.consent.decline')}
                  </Button>
                </Group>
              </>
            )}
          </Stack>
        </Paper>
      )}
      {done && request && (
        <Alert color={done === 'approve' ? 'green' : 'gray'} role="status">
          {t(done === 'approve' ? 'approvals.consent.approved' : 'approvals.consent.declined', {
            actor: request.actor.displayName,
          })}
        </Alert>
      )}
    </Stack>
  );
}
