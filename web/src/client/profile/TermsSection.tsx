import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Group, Loader, Modal, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { getAccountTerms, revokeTerms, type AccountTerms } from '../../api/account.ts';
import { useFormat } from '../../i18n/format.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { ProfileError, Section } from './shared.tsx';

type Accepted = AccountTerms['accepted'][number];

/** Accepted terms, each revocable (R-ADM-16, R-IMP-12). */
export function TermsSection() {
  const { t } = useTranslation();
  const format = useFormat();
  const { session, refresh } = useSession();
  const [terms, setTerms] = useState<AccountTerms | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [confirm, setConfirm] = useState<Accepted | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setTerms(await getAccountTerms());
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    getAccountTerms().then(setTerms, setError);
  }, []);

  const revoke = async (a: Accepted) => {
    setBusy(true);
    try {
      await revokeTerms(a.policyId);
      setConfirm(null);
      await load();
      // Pending terms (or, while acting, the end of the impersonation) show at once.
      await refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section id="terms" title={t('profile.terms.title')}>
      <Stack gap="xs">
        {!terms && !error && <Loader size="sm" role="status" aria-label={t('common.loading')} />}
        {terms && terms.accepted.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('profile.terms.none')}
          </Text>
        )}
        {terms?.accepted.map((a) => (
          <Paper withBorder p="sm" key={a.policyId}>
            <Group justify="space-between">
              <div>
                <Group gap="xs">
                  <Text fw={500}>{a.title}</Text>
                  <Text size="sm" c="dimmed">
                    {t('profile.terms.version', { number: a.number })}
                  </Text>
                  {a.onBehalf && (
                    <Badge variant="light" c="dark.7">
                      {t('profile.terms.onBehalf')}
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed" title={format.exact(a.acceptedAt)}>
                  {t('profile.terms.acceptedAt', { date: format.dateTime(a.acceptedAt) })}
                </Text>
              </div>
              <Button
                size="xs"
                variant="subtle"
                color="red"
                onClick={() => setConfirm(a)}
                aria-label={t('profile.terms.revokeLabel', { title: a.title })}
              >
                {t('profile.terms.revoke')}
              </Button>
            </Group>
          </Paper>
        ))}
        <ProfileError error={error} />
      </Stack>
      {confirm && (
        <Modal
          opened
          onClose={() => setConfirm(null)}
          title={t('profile.terms.confirmTitle', { title: confirm.title })}
          closeButtonProps={{ 'aria-label': t('common.close') }}
        >
          <Stack>
            <Text size="sm">
              {session?.impersonation ? t('profile.terms.confirmActing') : t('profile.terms.confirmText')}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirm(null)} data-autofocus>
                {t('common.cancel')}
              </Button>
              <Button color="red" loading={busy} onClick={() => void revoke(confirm)}>
                {t('profile.terms.revoke')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </Section>
  );
}
