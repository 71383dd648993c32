import { useEffect, useState } from 'react';
import { Button, Checkbox, Group, Loader, Paper, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { acceptTerms, getAccountTerms, logout } from '../api/auth.ts';
import type { AccountTerms } from '../api/types.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useFormat } from '../i18n/format.ts';

// R-IMP-12: the current versions of the policies in force that this user has not accepted,
// with their text, to accept before going on (POST /api/v1/account/terms/accept). Declining
// signs out again.

export function TermsPrompt({
  onAccepted,
  onDeclined,
}: {
  onAccepted: () => void | Promise<void>;
  onDeclined: () => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const [terms, setTerms] = useState<AccountTerms | null>(null);
  const [agreed, setAgreed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    getAccountTerms().then(setTerms, setError);
  }, []);

  const accept = async () => {
    if (!terms) return;
    setBusy(true);
    setError(null);
    try {
      await acceptTerms(terms.pending.map((p) => p.versionId));
      await onAccepted();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const decline = async () => {
    setBusy(true);
    try {
      await logout();
    } finally {
      onDeclined();
    }
  };

  if (!terms)
    return error ? <ErrorAlert error={error} /> : <Loader role="status" aria-label={t('common.loading')} />;

  return (
    <Stack>
      <Title order={2} size="h3">
        {t('terms.title')}
      </Title>
      <Text>{t('terms.intro')}</Text>
      {terms.pending.map((p) => (
        <Paper key={p.versionId} withBorder p="md" component="section" aria-label={p.title}>
          <Title order={3} size="h5">
            {p.title}
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            {t('terms.version', { number: p.number, date: format.date(p.publishedAt) })}
          </Text>
          <ScrollArea.Autosize mah={200} type="auto">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {p.body}
            </Text>
          </ScrollArea.Autosize>
        </Paper>
      ))}
      <ErrorAlert error={error} />
      <Checkbox
        label={t('terms.agree')}
        checked={agreed}
        onChange={(e) => setAgreed(e.currentTarget.checked)}
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={() => void decline()} disabled={busy}>
          {t('terms.decline')}
        </Button>
        <Button onClick={() => void accept()} loading={busy} disabled={!agreed}>
          {t('terms.accept')}
        </Button>
      </Group>
    </Stack>
  );
}
