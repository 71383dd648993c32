import { useState } from 'react';
import { Alert, Button, Group, PasswordInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import { proveStepUp, sendStepUpCode, type StepUpMethod, type StepUpStatus } from '../../api/step-up.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

// Issue 12 #5, R-IMP-17: when the setting asks for a recent proof, the start dialog asks for
// the password (or the authenticator code) inline, proves it on the server, then starts. The
// server decides; the dialog only asks when the preview or a refused start says so.

export interface StepUp {
  /** The inline field, or nothing when no proof is needed. */
  field: React.ReactNode;
  /** Proves when needed; false when the proof was missing or refused (the field shows why). */
  prove: () => Promise<boolean>;
  /** A start refused with `step_up_required` (the window passed while the dialog was open). */
  startRefused: (error: unknown) => boolean;
}

export function useStepUp(status: StepUpStatus): StepUp {
  const { t } = useTranslation();
  const [asked, setAsked] = useState(status);
  const [method, setMethod] = useState<StepUpMethod>(status.methods[0] ?? 'password');
  const [secret, setSecret] = useState('');
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<'no' | 'sending' | 'yes'>('no');

  const send = async () => {
    setSent('sending');
    setError(null);
    try {
      await sendStepUpCode();
      setSent('yes');
    } catch (e) {
      setError(e);
      setSent('no');
    }
  };

  const prove = async () => {
    if (!asked.required) return true;
    setMissing(secret === '');
    if (secret === '') return false;
    setError(null);
    try {
      await proveStepUp(method === 'password' ? { password: secret } : { code: secret.trim() });
      setAsked({ ...asked, required: false });
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };

  const startRefused = (e: unknown) => {
    if (!isApiError(e) || e.code !== 'step_up_required') return false;
    const minutes = typeof e.problem.minutes === 'number' ? e.problem.minutes : asked.minutes;
    const methods = Array.isArray(e.problem.methods) ? (e.problem.methods as StepUpMethod[]) : asked.methods;
    setAsked({ required: true, minutes, methods });
    if (!methods.includes(method)) setMethod(methods[0] ?? 'password');
    setSecret('');
    return true;
  };

  const fieldError = missing
    ? t('stepUp.missing')
    : isApiError(error)
      ? (error.fieldError(method === 'password' ? 'password' : 'code') ?? undefined)
      : undefined;
  const field = asked.required ? (
    <Stack gap="xs">
      <Alert color="blue">{t('stepUp.explain', { count: asked.minutes })}</Alert>
      {asked.methods.length > 1 && (
        <SegmentedControl
          value={method}
          onChange={(v) => setMethod(v === 'totp' || v === 'email' ? v : 'password')}
          data={asked.methods.map((m) => ({ value: m, label: t(`stepUp.method.${m}`) }))}
        />
      )}
      {asked.methods.length === 0 && <Alert color="orange">{t('stepUp.noMethod')}</Alert>}
      {method === 'password' ? (
        <PasswordInput
          label={t('stepUp.password')}
          autoComplete="current-password"
          value={secret}
          onChange={(e) => setSecret(e.currentTarget.value)}
          error={fieldError}
          required
        />
      ) : (
        <TextInput
          label={method === 'email' ? t('stepUp.codeEmail') : t('stepUp.code')}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          value={secret}
          onChange={(e) => setSecret(e.currentTarget.value)}
          error={fieldError}
          required
        />
      )}
      {method === 'email' && (
        <Group gap="sm">
          <Button variant="default" size="xs" loading={sent === 'sending'} onClick={() => void send()}>
            {sent === 'yes' ? t('stepUp.sendAgain') : t('stepUp.sendCode')}
          </Button>
          {sent === 'yes' && <Text size="sm">{t('stepUp.codeSent')}</Text>}
        </Group>
      )}
      {isApiError(error) && error.fieldErrors.length === 0 && <ErrorAlert error={error} />}
    </Stack>
  ) : null;
  return { field, prove, startRefused };
}
