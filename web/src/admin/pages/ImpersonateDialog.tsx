import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  Loader,
  Modal,
  NativeSelect,
  Radio,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import { previewImpersonation, startImpersonation, type ImpersonationPreview } from '../../api/users.ts';
import type { Role } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useSession } from '../../session/SessionContext.tsx';
import { isSuperadmin } from '../../session/permissions.ts';
import { ApprovalPanel } from './ApprovalPanel.tsx';
import { useStepUp } from './StepUpField.tsx';

// R-IMP-01, R-IMP-02, R-IMP-11: confirm before acting as someone. What to ask comes from the
// server's preview of the start: the reason (required by the setting or not), the planned
// duration up to the setting's maximum, the domain to act in (power users, when domains are in
// use), and accepting pending terms on the user's behalf (superadmins). The server still decides
// on start; its refusal is shown here. On success the user's own client opens in a new tab
// through the single-use handoff URL (valid 60 seconds).

export interface ImpersonationSubject {
  id: string;
  displayName: string;
  role: Role;
}

const durations = [15, 30, 60, 120, 240, 480, 720, 1440];

/** The reason a refusal code gives, in the interface's language when there is a text for it. */
export function useRefusalText() {
  const { t, i18n } = useTranslation();
  return (code: string | null, message?: string | null) =>
    code && i18n.exists(`errors.codes.${code}`)
      ? t(`errors.codes.${code}`)
      : (message ?? t('impersonate.notAllowed'));
}

export function ImpersonateDialog({
  user,
  preview,
  origin,
  onClose,
}: {
  user: ImpersonationSubject | null;
  /** The preview already read (the user list has it); asked here when not given. */
  preview?: ImpersonationPreview | null;
  /** Where "Back to your account" returns; by default the list the user belongs to. */
  origin?: 'users' | 'power-users';
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={user !== null}
      onClose={onClose}
      title={user ? t('impersonate.title', { name: user.displayName }) : ''}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {user && (
        <PreviewedForm
          key={user.id}
          user={user}
          preview={preview ?? null}
          origin={origin ?? (user.role === 'power-user' ? 'power-users' : 'users')}
          onClose={onClose}
        />
      )}
    </Modal>
  );
}

function PreviewedForm({
  user,
  preview: given,
  origin,
  onClose,
}: {
  user: ImpersonationSubject;
  preview: ImpersonationPreview | null;
  origin: 'users' | 'power-users';
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const refusal = useRefusalText();
  const [asked, setAsked] = useState<{ preview: ImpersonationPreview | null; error: unknown }>({
    preview: null,
    error: null,
  });
  useEffect(() => {
    if (given) return;
    const controller = new AbortController();
    previewImpersonation(user.id, controller.signal).then(
      (preview) => setAsked({ preview, error: null }),
      (error: unknown) => !controller.signal.aborted && setAsked({ preview: null, error }),
    );
    return () => controller.abort();
  }, [given, user.id]);
  const preview = given ?? asked.preview;

  if (asked.error) {
    return (
      <Stack>
        <ErrorAlert error={asked.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.close')}
          </Button>
        </Group>
      </Stack>
    );
  }
  if (!preview) {
    return (
      <Group justify="center" p="md">
        <Loader role="status" aria-label={t('common.loading')} />
      </Group>
    );
  }
  if (!preview.allowed) {
    return (
      <Stack>
        <Alert color="orange" role="alert">
          {refusal(preview.code, preview.message)}
        </Alert>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            {t('common.close')}
          </Button>
        </Group>
      </Stack>
    );
  }
  return <ImpersonateForm user={user} preview={preview} origin={origin} onClose={onClose} />;
}

function ImpersonateForm({
  user,
  preview,
  origin,
  onClose,
}: {
  user: ImpersonationSubject;
  preview: ImpersonationPreview;
  origin: 'users' | 'power-users';
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { session } = useSession();
  const maximum = preview.maxDurationMinutes;
  const offered = durations.filter((d) => d < maximum);
  offered.push(maximum);
  const [reason, setReason] = useState('');
  const [duration, setDuration] = useState(String(Math.min(30, maximum)));
  const [domainId, setDomainId] = useState(preview.domains[0]?.id ?? '');
  const [mode, setMode] = useState<'act' | 'read-only'>(preview.defaultMode);
  // Asked when the preview says so, or when the start answers that terms are pending.
  const [termsAsked, setTermsAsked] = useState(preview.needsTermsAcceptance);
  const [acceptTerms, setAcceptTerms] = useState(false);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [blockedUrl, setBlockedUrl] = useState<string | null>(null);
  const [breakGlass, setBreakGlass] = useState(false);
  const stepUp = useStepUp(preview.stepUp);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (preview.reasonRequired && !reason.trim()) problems.reason = t('impersonate.reasonMissing');
    if (preview.domainRequired && !domainId) problems.domainId = t('impersonate.domainMissing');
    if (termsAsked && !acceptTerms) problems.acceptTerms = t('impersonate.acceptTermsMissing');
    setMissing(problems);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    setError(null);
    // Issue 12 #5: a recent proof of the password or code first, when the setting asks for one.
    if (!(await stepUp.prove())) {
      setBusy(false);
      return;
    }
    try {
      const started = await startImpersonation(user.id, {
        reason: reason.trim(),
        durationMinutes: Number(duration),
        origin,
        mode,
        ...(preview.domainRequired && domainId ? { domainId } : {}),
        ...(termsAsked ? { acceptTermsOnBehalf: acceptTerms } : {}),
        ...(breakGlass ? { breakGlass: true } : {}),
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
      if (!stepUp.startRefused(e)) setError(e);
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

  const fieldError = (field: string) =>
    missing[field] ?? (isApiError(error) ? error.fieldError(field) : undefined);
  const minutes = (count: number) => t('impersonate.minutes', { count });
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack>
        <Text size="sm">{t('impersonate.explain', { name: user.displayName })}</Text>
        <Textarea
          label={t('impersonate.reason')}
          description={
            preview.reasonRequired ? t('impersonate.reasonHintRequired') : t('impersonate.reasonHint')
          }
          autosize
          minRows={2}
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={fieldError('reason')}
          required={preview.reasonRequired}
          data-autofocus
        />
        <NativeSelect
          label={t('impersonate.duration')}
          description={t('impersonate.durationHint', { max: minutes(maximum) })}
          data={offered.map((d) => ({ value: String(d), label: minutes(d) }))}
          value={duration}
          onChange={(e) => setDuration(e.currentTarget.value)}
          error={fieldError('durationMinutes')}
        />
        <Radio.Group
          label={t('impersonate.mode')}
          description={preview.actAllowed ? t('impersonate.modeHint') : t('impersonate.modeOnlyLook')}
          value={mode}
          onChange={(v) => setMode(v === 'act' ? 'act' : 'read-only')}
          error={fieldError('mode')}
        >
          <Group mt="xs">
            <Radio value="read-only" label={t('impersonate.modeReadOnly')} />
            <Radio value="act" label={t('impersonate.modeAct')} disabled={!preview.actAllowed} />
          </Group>
        </Radio.Group>
        {preview.domainRequired && (
          <NativeSelect
            label={t('impersonate.domain')}
            description={t('impersonate.domainHint')}
            data={preview.domains.map((d) => ({
              value: d.id,
              label: d.hostName ? `${d.name} (${d.hostName})` : d.name,
            }))}
            value={domainId}
            onChange={(e) => setDomainId(e.currentTarget.value)}
            error={fieldError('domainId')}
            required
          />
        )}
        {termsAsked && (
          <Checkbox
            label={t('impersonate.acceptTermsOnBehalf', { name: user.displayName })}
            description={t('impersonate.acceptTermsHint', { name: user.displayName })}
            checked={acceptTerms}
            onChange={(e) => setAcceptTerms(e.currentTarget.checked)}
            error={fieldError('acceptTerms')}
          />
        )}
        <ApprovalPanel
          userId={user.id}
          name={user.displayName}
          initial={preview.approvals}
          reason={reason}
          durationMinutes={Number(duration)}
          breakGlass={breakGlass}
          onBreakGlass={setBreakGlass}
        />
        {stepUp.field}
        <ErrorAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {user.role === 'power-user' ? t('impersonate.confirmPowerUser') : t('impersonate.confirm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
