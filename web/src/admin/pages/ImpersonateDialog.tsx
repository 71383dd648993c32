import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Anchor, Button, Checkbox, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import { getSettings, startImpersonation, type ImpersonationSettings } from '../../api/users.ts';
import type { UserListItem } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useSession } from '../../session/SessionContext.tsx';
import { hasPermission, isSuperadmin } from '../../session/permissions.ts';

// R-IMP-01, R-IMP-11: confirm before acting as someone, with the reason and the planned
// duration (both go into the user's notification and the audit trail). The server decides
// whether it is allowed; its refusal is shown here. On success the user's own client opens in
// a new tab through the single-use handoff URL (valid 60 seconds).

const durations = [15, 30, 60, 120, 240, 480];
/** Offered when the maximum is unknown (without settings.read): the default maximum. */
const defaultMaximum = 60;

export function ImpersonateDialog({ user, onClose }: { user: UserListItem | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={user !== null}
      onClose={onClose}
      title={user ? t('impersonate.title', { name: user.displayName }) : ''}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {user && <ImpersonateForm key={user.id} user={user} onClose={onClose} />}
    </Modal>
  );
}

function ImpersonateForm({ user, onClose }: { user: UserListItem; onClose: () => void }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const [reason, setReason] = useState('');
  const [duration, setDuration] = useState('30');
  const [acceptTerms, setAcceptTerms] = useState(false);
  const [termsAsked, setTermsAsked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [blockedUrl, setBlockedUrl] = useState<string | null>(null);
  // Who may read the settings learns the maximum duration and whether a reason is required;
  // for everyone else the server's answer says it.
  const [settings, setSettings] = useState<ImpersonationSettings | null>(null);
  const maySeeSettings = session !== null && hasPermission(session, 'settings.read');
  useEffect(() => {
    if (maySeeSettings)
      getSettings().then(
        (s) => setSettings(s.impersonation),
        () => undefined,
      );
  }, [maySeeSettings]);
  const maximum = settings?.maxDurationMinutes ?? defaultMaximum;
  const offered = durations.filter((d) => d <= maximum);
  if (offered.length === 0 || (settings && !offered.includes(maximum))) offered.push(maximum);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const started = await startImpersonation(user.id, {
        reason: reason.trim(),
        durationMinutes: Number(duration),
        origin: user.role === 'power-user' ? 'power-users' : 'users',
        ...(termsAsked ? { acceptTermsOnBehalf: acceptTerms } : {}),
      });
      // Still within the click's user activation, so the browser lets the tab open.
      const tab = window.open(started.handoffUrl, '_blank');
      if (tab) {
        tab.opener = null;
        onClose();
      } else {
        setBlockedUrl(started.handoffUrl);
        setBusy(false);
      }
    } catch (e) {
      if (isApiError(e) && e.code === 'terms_not_accepted' && session && isSuperadmin(session)) {
        setTermsAsked(true);
      }
      setError(e);
      setBusy(false);
    }
  };

  if (blockedUrl) {
    return (
      <Stack>
        <Text>{t('impersonate.popupBlocked')}</Text>
        <Anchor href={blockedUrl} target="_blank" rel="noopener" onClick={onClose}>
          {t('impersonate.openTab', { name: user.displayName })}
        </Anchor>
      </Stack>
    );
  }

  const fieldError = (field: string) => (isApiError(error) ? error.fieldError(field) : undefined);
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack>
        <Text size="sm">{t('impersonate.explain', { name: user.displayName })}</Text>
        <Textarea
          label={t('impersonate.reason')}
          description={t('impersonate.reasonHint')}
          autosize
          minRows={2}
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={fieldError('reason')}
          required={settings?.reasonRequired ?? false}
          data-autofocus
        />
        <Select
          label={t('impersonate.duration')}
          data={offered.map((d) => ({ value: String(d), label: t('impersonate.minutes', { count: d }) }))}
          value={duration}
          onChange={(v) => setDuration(v ?? '30')}
          allowDeselect={false}
          error={fieldError('durationMinutes')}
        />
        {termsAsked && (
          <Checkbox
            label={t('impersonate.acceptTermsOnBehalf', { name: user.displayName })}
            checked={acceptTerms}
            onChange={(e) => setAcceptTerms(e.currentTarget.checked)}
          />
        )}
        <ErrorAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('impersonate.confirm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
