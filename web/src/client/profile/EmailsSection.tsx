import { useEffect, useState, type FormEvent } from 'react';
import { Badge, Button, Group, Modal, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import {
  addEmail,
  makeEmailPrimary,
  removeEmail,
  resendEmailCode,
  verifyEmail,
  type OwnEmail,
  type Profile,
} from '../../api/account.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { BlockedNotice, fieldMessage, ProfileError, Section, useBlocked } from './shared.tsx';
import { useAction } from '../../components/useLoad.ts';

/** E-mail addresses: add (a code is mailed), verify with the code, make primary, remove. */
export function EmailsSection({ profile, onSaved }: { profile: Profile; onSaved: (p: Profile) => void }) {
  const { t } = useTranslation();
  const { refresh } = useSession();
  const blocked = useBlocked('emails.change');
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [params, setParams] = useSearchParams();
  // The link in the mail: /profile?verifyEmail=<id>&code=<code> opens the dialog filled in.
  const [verifying, setVerifying] = useState<{ email: OwnEmail; code: string } | null>(() => {
    const email = profile.emails.find((e) => e.id === params.get('verifyEmail'));
    return email && !email.verified && !blocked ? { email, code: params.get('code') ?? '' } : null;
  });
  useEffect(() => {
    if (params.has('verifyEmail')) setParams({}, { replace: true });
  }, [params, setParams]);

  const run = async (key: string, action: () => Promise<Profile>) => {
    setBusy(key);
    try {
      const next = await action();
      setError(null);
      onSaved(next);
      await refresh();
      return next;
    } catch (e) {
      setError(e);
      return null;
    } finally {
      setBusy(null);
    }
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const wanted = address.trim();
    const next = await run('add', () => addEmail(wanted));
    if (!next) return;
    setAddress('');
    const added = next.emails.find((x) => x.address.toLowerCase() === wanted.toLowerCase());
    if (added) setVerifying({ email: added, code: '' });
  };

  return (
    <Section id="emails" title={t('profile.emails.title')} description={t('profile.emails.description')}>
      <Stack gap="sm">
        {blocked && <BlockedNotice />}
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {profile.emails.map((e) => (
            <Paper component="li" withBorder p="sm" key={e.id} aria-label={e.address}>
              <Group justify="space-between" wrap="wrap">
                <Group gap="xs">
                  <Text fw={500}>{e.address}</Text>
                  {e.primary && <Badge variant="filled">{t('profile.emails.primary')}</Badge>}
                  {e.verified ? (
                    <Badge color="teal" variant="light" c="dark.7">
                      {t('profile.emails.verified')}
                    </Badge>
                  ) : (
                    <Badge color="orange" variant="light" c="dark.7">
                      {t('profile.emails.unverified')}
                    </Badge>
                  )}
                </Group>
                {!blocked && (
                  <Group gap="xs">
                    {!e.verified && (
                      <>
                        <Button size="xs" onClick={() => setVerifying({ email: e, code: '' })}>
                          {t('profile.emails.enterCode')}
                        </Button>
                        <Button
                          size="xs"
                          variant="default"
                          loading={busy === `resend-${e.id}`}
                          onClick={() => void run(`resend-${e.id}`, () => resendEmailCode(e.id))}
                        >
                          {t('profile.emails.resend')}
                        </Button>
                      </>
                    )}
                    {e.verified && !e.primary && (
                      <Button
                        size="xs"
                        variant="default"
                        loading={busy === `primary-${e.id}`}
                        onClick={() => void run(`primary-${e.id}`, () => makeEmailPrimary(e.id))}
                      >
                        {t('profile.emails.makePrimary')}
                      </Button>
                    )}
                    {!e.primary && (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        loading={busy === `remove-${e.id}`}
                        onClick={() => void run(`remove-${e.id}`, () => removeEmail(e.id))}
                        aria-label={t('profile.emails.removeLabel', { address: e.address })}
                      >
                        {t('profile.emails.remove')}
                      </Button>
                    )}
                  </Group>
                )}
              </Group>
            </Paper>
          ))}
        </Stack>
        {!blocked && (
          <form onSubmit={(e) => void add(e)} noValidate>
            <Group align="flex-end">
              <TextInput
                type="email"
                label={t('profile.emails.newAddress')}
                value={address}
                onChange={(e) => setAddress(e.currentTarget.value)}
                error={fieldMessage(error, 'address', t)}
                autoComplete="email"
                style={{ flex: 1, minWidth: 240 }}
              />
              <Button type="submit" loading={busy === 'add'} disabled={address.trim() === ''}>
                {t('profile.emails.add')}
              </Button>
            </Group>
          </form>
        )}
        <ProfileError error={verifying ? null : error} />
      </Stack>
      {verifying && (
        <VerifyDialog
          email={verifying.email}
          initialCode={verifying.code}
          onClose={() => setVerifying(null)}
          onVerified={async (p) => {
            setVerifying(null);
            onSaved(p);
            await refresh();
          }}
        />
      )}
    </Section>
  );
}

function VerifyDialog({
  email,
  initialCode,
  onClose,
  onVerified,
}: {
  email: OwnEmail;
  initialCode: string;
  onClose: () => void;
  onVerified: (p: Profile) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState(initialCode);
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(
      async () => onVerified(await verifyEmail(email.id, code.trim())),
      () => {},
    );
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('profile.emails.verifyTitle')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <Text size="sm">{t('profile.emails.verifyText', { address: email.address })}</Text>
          <TextInput
            label={t('profile.emails.code')}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            inputMode="numeric"
            autoComplete="one-time-code"
            data-autofocus
            maxLength={32}
          />
          <ProfileError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={code.trim() === ''}>
              {t('profile.emails.verify')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
