import { useState } from 'react';
import { Alert, Badge, Button, Code, CopyButton, Group, Radio, Stack, Text, Title } from '@mantine/core';
import { IconCheck, IconCopy, IconKey, IconLockOpen } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { TwoFactorMethod } from '../../api/types.ts';
import { generatePassword, resetLoginAttempts, setPassword, setTwoFactor } from '../../api/user-detail.ts';
import { useFormat } from '../../i18n/format.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { EditError, Refused, refusal, Section, useDraft, useUserPage } from './shared.tsx';

export function SecuritySection() {
  const { t } = useTranslation();
  const { session } = useSession();
  const { user } = useUserPage();
  if (!session) return null;
  const refused = refusal(session, user, 'credentials');
  return (
    <Section title={t('userPage.security.title')}>
      <Refused reason={refused} />
      <PasswordPart readOnly={!!refused} />
      <TwoFactorPart readOnly={!!refused} />
      <LoginAttemptsPart readOnly={!!refused} />
    </Section>
  );
}

/**
 * R-ADM-12: the generated password is shown once, here, and takes effect on "Save". It lives
 * only in this component's state: saved, discarded or left, it is gone and cannot come back.
 */
function PasswordPart({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation();
  const { user, etag, reload } = useUserPage();
  const [password, setPasswordValue] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const generate = async () => {
    setBusy(true);
    setSaved(false);
    try {
      setPasswordValue((await generatePassword(user.id)).password);
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    if (!password) return;
    setBusy(true);
    try {
      await setPassword(user.id, etag, password);
      setPasswordValue(null);
      setError(null);
      setSaved(true);
      await reload(); // the answer has no body: read the new ETag
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('userPage.security.password')}
      </Title>
      <Text size="sm">
        {user.hasPassword ? t('userPage.security.hasPassword') : t('userPage.security.noPassword')}
      </Text>
      {password !== null ? (
        <Alert color="blue" title={t('userPage.security.generatedTitle')} icon={<IconKey aria-hidden />}>
          <Stack gap="xs">
            <Group gap="xs">
              <Code
                fz="md"
                data-testid="generated-password"
                aria-label={t('userPage.security.generatedLabel')}
              >
                {password}
              </Code>
              <CopyButton value={password}>
                {({ copied, copy }) => (
                  <Button
                    size="xs"
                    variant="light"
                    color={copied ? 'teal' : 'blue'}
                    leftSection={
                      copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />
                    }
                    onClick={copy}
                  >
                    {copied ? t('userPage.copied') : t('userPage.security.copyPassword')}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Text size="sm">{t('userPage.security.generatedHint')}</Text>
            <Group>
              <Button onClick={() => void save()} loading={busy}>
                {t('userPage.security.savePassword')}
              </Button>
              <Button variant="default" onClick={() => setPasswordValue(null)} disabled={busy}>
                {t('userPage.security.discardPassword')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      ) : (
        !readOnly && (
          <Group>
            <Button
              variant="default"
              leftSection={<IconKey size={16} aria-hidden />}
              onClick={() => void generate()}
              loading={busy}
            >
              {t('userPage.security.generate')}
            </Button>
          </Group>
        )
      )}
      {saved && (
        <Text size="sm" c="teal.9" role="status">
          {t('userPage.security.passwordSaved')}
        </Text>
      )}
      <EditError error={error} onReload={() => void reload().then(() => setError(null), setError)} />
    </Stack>
  );
}

/** R-ADM-13: none or e-mail; the authenticator app needs the user's own enrolment. */
function TwoFactorPart({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation();
  const { user, etag, apply, reload } = useUserPage();
  const [draft, setDraft] = useDraft<{ method: TwoFactorMethod }>({ method: user.twoFactorMethod });
  const method = draft.method;
  const setMethod = (v: TwoFactorMethod) => setDraft({ method: v });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    setBusy(true);
    try {
      apply(await setTwoFactor(user.id, etag, method));
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="xs">
      <Radio.Group label={t('userPage.security.twoFactor')} value={method} onChange={(v) => setMethod(v)}>
        <Stack gap="xs" mt="xs">
          <Radio value="none" label={t('userPage.security.methods.none')} disabled={readOnly} />
          <Radio value="email" label={t('userPage.security.methods.email')} disabled={readOnly} />
          <Radio
            value="totp"
            label={t('userPage.security.methods.totp')}
            description={t('userPage.security.totpHint')}
            disabled
          />
        </Stack>
      </Radio.Group>
      <EditError error={error} onReload={() => void reload().then(() => setError(null), setError)} />
      {!readOnly && (
        <Group>
          <Button
            variant="default"
            onClick={() => void save()}
            loading={busy}
            disabled={method === user.twoFactorMethod}
          >
            {t('userPage.security.saveTwoFactor')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** R-ADM-14: the lock and the failed attempts; resetting lifts the lock at once. */
function LoginAttemptsPart({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { user, etag, reload } = useUserPage();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const reset = async () => {
    setBusy(true);
    try {
      await resetLoginAttempts(user.id, etag);
      setError(null);
      setDone(true);
      await reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('userPage.security.loginAttempts')}
      </Title>
      <Group gap="xs" data-testid="lock-state">
        {user.lockedUntil ? (
          <>
            <Badge color="orange" variant="light" c="dark.7">
              {t('tags.locked')}
            </Badge>
            <Text size="sm">
              {t('userPage.security.lockedUntil', { until: format.dateTime(user.lockedUntil) })}
            </Text>
          </>
        ) : (
          <Text size="sm">{t('userPage.security.notLocked')}</Text>
        )}
        <Text size="sm" c="dimmed">
          {t('userPage.security.failedLogins', {
            count: user.failedLogins,
            n: format.number(user.failedLogins),
          })}
        </Text>
      </Group>
      {done && (
        <Text size="sm" c="teal.9" role="status">
          {t('userPage.security.attemptsReset')}
        </Text>
      )}
      <EditError error={error} onReload={() => void reload().then(() => setError(null), setError)} />
      {!readOnly && (
        <Group>
          <Button
            variant="default"
            leftSection={<IconLockOpen size={16} aria-hidden />}
            onClick={() => void reset()}
            loading={busy}
            disabled={user.failedLogins === 0 && !user.lockedUntil}
          >
            {t('userPage.security.resetAttempts')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
