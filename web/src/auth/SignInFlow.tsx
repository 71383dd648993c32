import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { completeSecondFactor, login } from '../api/auth.ts';
import { isApiError } from '../api/client.ts';
import type { LoginAnswer, PendingTerm } from '../api/types.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { TermsPrompt } from './TermsPrompt.tsx';

// Sign-in in up to three steps, the same in both areas: password; the second factor when the
// account has one (R-ADM-13); the current terms when they are not accepted yet (R-IMP-12).
// `onDone` runs once a session exists and nothing is pending.

type Step =
  | { kind: 'password' }
  | { kind: 'second-factor'; method: 'email' | 'totp' }
  | { kind: 'terms'; pending: PendingTerm[] };

export function SignInFlow({
  onDone,
  secondFactor,
  alternatives,
}: {
  onDone: () => void | Promise<void>;
  /** A login service's sign-in left a second-factor challenge (`?secondFactor=`): start there. */
  secondFactor?: 'email' | 'totp' | undefined;
  /** Shown under the password step: other ways to sign in (login services). */
  alternatives?: ReactNode;
}) {
  const [step, setStep] = useState<Step>(
    secondFactor ? { kind: 'second-factor', method: secondFactor } : { kind: 'password' },
  );

  const afterSession = async (answer: LoginAnswer) => {
    if (answer.secondFactorRequired) {
      setStep({ kind: 'second-factor', method: answer.method ?? 'email' });
    } else if (answer.pendingTerms && answer.pendingTerms.length > 0) {
      setStep({ kind: 'terms', pending: answer.pendingTerms });
    } else {
      await onDone();
    }
  };

  switch (step.kind) {
    case 'password':
      return (
        <>
          <PasswordStep onAnswer={afterSession} />
          {alternatives}
        </>
      );
    case 'second-factor':
      return <SecondFactorStep method={step.method} onAnswer={afterSession} />;
    case 'terms':
      return <TermsPrompt onAccepted={onDone} onDeclined={() => setStep({ kind: 'password' })} />;
  }
}

function PasswordStep({ onAnswer }: { onAnswer: (a: LoginAnswer) => Promise<void> }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onAnswer(await login(name, password));
    } catch (e) {
      setError(e);
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack>
        <ErrorAlert error={error} />
        <TextInput
          label={t('signIn.login')}
          description={t('signIn.loginHint')}
          autoComplete="username"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={isApiError(error) ? error.fieldError('login') : undefined}
          autoFocus
        />
        <PasswordInput
          label={t('signIn.password')}
          autoComplete="current-password"
          visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword') }}
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={isApiError(error) ? error.fieldError('password') : undefined}
        />
        <Button type="submit" loading={busy} disabled={!name || !password}>
          {t('signIn.submit')}
        </Button>
      </Stack>
    </form>
  );
}

function SecondFactorStep({
  method,
  onAnswer,
}: {
  method: 'email' | 'totp';
  onAnswer: (a: LoginAnswer) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onAnswer(await completeSecondFactor(code));
    } catch (e) {
      setError(e);
      setCode('');
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack>
        <Text>{method === 'totp' ? t('signIn.secondFactor.totp') : t('signIn.secondFactor.email')}</Text>
        <ErrorAlert error={error} />
        <TextInput
          label={t('signIn.secondFactor.code')}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          required
          value={code}
          onChange={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))}
          error={isApiError(error) ? error.fieldError('code') : undefined}
          autoFocus
        />
        <Button type="submit" loading={busy} disabled={code.length !== 6}>
          {t('signIn.secondFactor.submit')}
        </Button>
      </Stack>
    </form>
  );
}
