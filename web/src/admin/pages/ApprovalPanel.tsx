import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { askApproval, type ApprovalKind, type ApprovalsPreview } from '../../api/approvals.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { previewImpersonation } from '../../api/users.ts';

// Issue 12 #3, #4 in the start dialog: what the start still needs (the user's consent, a
// second administrator's approval), a button to ask with the reason and duration typed above,
// and, for a superadmin, break-glass. The server decides on start either way.

export function ApprovalPanel({
  userId,
  name,
  initial,
  reason,
  durationMinutes,
  breakGlass,
  onBreakGlass,
}: {
  userId: string;
  name: string;
  initial: ApprovalsPreview;
  reason: string;
  durationMinutes: number;
  breakGlass: boolean;
  onBreakGlass: (on: boolean) => void;
}) {
  const { t } = useTranslation();
  const [states, setStates] = useState(initial);
  const [busy, setBusy] = useState<ApprovalKind | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reasonMissing, setReasonMissing] = useState(false);
  const needsAny = initial.consent !== null || initial.fourEyes !== null;
  // The list hands in the preview it read earlier; a decision may have come since.
  useEffect(() => {
    if (!needsAny) return;
    const controller = new AbortController();
    previewImpersonation(userId, controller.signal).then(
      (p) => setStates(p.approvals),
      () => undefined,
    );
    return () => controller.abort();
  }, [needsAny, userId]);

  const ask = async (kind: ApprovalKind) => {
    if (!reason.trim()) {
      setReasonMissing(true);
      return;
    }
    setReasonMissing(false);
    setBusy(kind);
    setError(null);
    try {
      await askApproval(userId, { kind, reason: reason.trim(), durationMinutes });
      setStates((s) => (kind === 'consent' ? { ...s, consent: 'pending' } : { ...s, fourEyes: 'pending' }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const row = (kind: ApprovalKind, key: 'consent' | 'fourEyes') => {
    const state = states[key];
    if (state === null) return null;
    const canAsk = state === 'missing' || state === 'declined';
    return (
      <Alert color={state === 'approved' ? 'green' : 'orange'} role="status" data-approval={kind}>
        <Stack gap="xs">
          <Text size="sm">{t(`approvals.dialog.${key}_${state}`, { name })}</Text>
          {canAsk && !(kind === 'consent' && breakGlass) && (
            <Group>
              <Button size="xs" variant="light" loading={busy === kind} onClick={() => void ask(kind)}>
                {kind === 'consent' ? t('approvals.dialog.askConsent') : t('approvals.dialog.askFourEyes')}
              </Button>
            </Group>
          )}
        </Stack>
      </Alert>
    );
  };

  if (states.consent === null && states.fourEyes === null) return null;
  return (
    <Stack gap="xs">
      {row('consent', 'consent')}
      {row('four_eyes', 'fourEyes')}
      {states.breakGlassAllowed && states.consent !== 'approved' && (
        <Checkbox
          label={t('approvals.dialog.breakGlass')}
          description={t('approvals.dialog.breakGlassHint', { name })}
          checked={breakGlass}
          onChange={(e) => onBreakGlass(e.currentTarget.checked)}
          color="red"
        />
      )}
      {reasonMissing && (
        <Text size="sm" c="red" role="alert">
          {t('approvals.dialog.reasonFirst')}
        </Text>
      )}
      <ErrorAlert error={error} />
    </Stack>
  );
}
