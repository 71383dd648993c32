import { useState, type FormEvent } from 'react';
import { Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { changePassword, type Profile } from '../../api/account.ts';
import { BlockedNotice, fieldMessage, ProfileError, Section, useBlocked } from './shared.tsx';

/** Change the password: asks the current one; other sessions end with it. */
export function PasswordSection({ profile }: { profile: Profile }) {
  const { t } = useTranslation();
  const blocked = useBlocked('password.change');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const mismatch = repeat !== '' && next !== repeat;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setDone(false);
    try {
      await changePassword(current, next);
      setError(null);
      setDone(true);
      setCurrent('');
      setNext('');
      setRepeat('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section
      id="password"
      title={t('profile.password.title')}
      description={t('profile.password.description')}
    >
      {blocked ? (
        <BlockedNotice />
      ) : !profile.hasPassword ? (
        <Text size="sm">{t('profile.password.none')}</Text>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack gap="sm" maw={420}>
            <PasswordInput
              label={t('profile.password.current')}
              value={current}
              onChange={(e) => setCurrent(e.currentTarget.value)}
              error={fieldMessage(error, 'currentPassword', t)}
              autoComplete="current-password"
              required
            />
            <PasswordInput
              label={t('profile.password.new')}
              value={next}
              onChange={(e) => setNext(e.currentTarget.value)}
              error={fieldMessage(error, 'newPassword', t) ? ' ' : undefined}
              autoComplete="new-password"
              required
            />
            <PasswordInput
              label={t('profile.password.repeat')}
              value={repeat}
              onChange={(e) => setRepeat(e.currentTarget.value)}
              error={mismatch ? t('profile.password.mismatch') : undefined}
              autoComplete="new-password"
              required
            />
            <ProfileError error={error} />
            <Group>
              <Button type="submit" loading={busy} disabled={!current || !next || next !== repeat}>
                {t('profile.password.submit')}
              </Button>
              {done && (
                <Text size="sm" c="teal.8" role="status">
                  {t('profile.password.changed')}
                </Text>
              )}
            </Group>
          </Stack>
        </form>
      )}
    </Section>
  );
}
