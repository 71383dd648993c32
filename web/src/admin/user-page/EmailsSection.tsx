import { useEffect, useState, type FormEvent } from 'react';
import { Badge, Button, Checkbox, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { IconArrowMerge, IconMailPlus } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { UserEmail } from '../../api/types.ts';
import { addEmail, makePrimary, removeEmail, verifyEmail, type Versioned } from '../../api/user-detail.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { mergeCandidates, type MergeCandidate } from '../../api/merge.ts';
import { EditError, fieldError, Refused, refusal, Section, useUserPage } from './shared.tsx';
import { ConnectProfilesDialog } from './ConnectProfiles.tsx';

// R-ADM-09: an administrator sets any address primary and marks one verified, both without a
// confirmation mail; adds and removes addresses. An unverified address that is verified in
// another profile offers "connect profiles" (R-ADM-10).

export function EmailsSection() {
  const { t } = useTranslation();
  const { session } = useSession();
  const { user, etag, apply, reload } = useUserPage();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [address, setAddress] = useState('');
  const [verified, setVerified] = useState(false);
  const [addError, setAddError] = useState<unknown>(null);
  const [candidates, setCandidates] = useState<MergeCandidate[]>([]);
  const [connecting, setConnecting] = useState<MergeCandidate | null>(null);
  const navigate = useNavigate();
  const refused = session ? refusal(session, user, 'update') : 'userPage.refused.self';

  // Asked again whenever the user changes (an address added, verified or removed).
  useEffect(() => {
    if (refused) return;
    let current = true;
    mergeCandidates(user.id).then(
      (r) => current && setCandidates(r.items),
      () => current && setCandidates([]),
    );
    return () => void (current = false);
  }, [user, refused]);
  if (!session) return null;

  const act = async (key: string, call: () => Promise<Versioned>) => {
    setBusy(key);
    try {
      apply(await call());
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setBusy('add');
    try {
      apply(await addEmail(user.id, etag, address.trim(), verified));
      setAddress('');
      setVerified(false);
      setAddError(null);
    } catch (err) {
      setAddError(err);
    } finally {
      setBusy(null);
    }
  };

  const onReload = (clear: (v: unknown) => void) => () => void reload().then(() => clear(null), clear);

  return (
    <Section title={t('userPage.emails.title')}>
      <Refused reason={refused} />
      <Stack
        gap="xs"
        component="ul"
        p={0}
        m={0}
        style={{ listStyle: 'none' }}
        aria-label={t('userPage.emails.list')}
      >
        {user.emails.map((email) => (
          <EmailRow
            key={email.id}
            email={email}
            readOnly={!!refused}
            busy={busy}
            onPrimary={() => void act(`primary:${email.id}`, () => makePrimary(user.id, etag, email.id))}
            onVerify={() => void act(`verify:${email.id}`, () => verifyEmail(user.id, etag, email.id))}
            onRemove={() => void act(`remove:${email.id}`, () => removeEmail(user.id, etag, email.id))}
            candidate={candidates.find((c) => c.emailId === email.id)}
            onConnect={setConnecting}
          />
        ))}
      </Stack>
      <EditError error={error} onReload={onReload(setError)} />
      {connecting && (
        <ConnectProfilesDialog
          user={user}
          candidate={connecting}
          onClose={() => setConnecting(null)}
          onConnected={(survivorId) => {
            setConnecting(null);
            if (survivorId === user.id) void reload();
            else void navigate(`/admin/users/${survivorId}`);
          }}
        />
      )}
      {!refused && (
        <form onSubmit={(e) => void add(e)} noValidate>
          <Stack gap="xs">
            <Group align="flex-start">
              <TextInput
                label={t('userPage.emails.newAddress')}
                type="email"
                value={address}
                onChange={(e) => setAddress(e.currentTarget.value)}
                error={fieldError(addError, 'address')}
                style={{ flex: 1, minWidth: 240 }}
              />
            </Group>
            <Checkbox
              label={t('userPage.emails.verifiedAtOnce')}
              checked={verified}
              onChange={(e) => setVerified(e.currentTarget.checked)}
            />
            <EditError
              error={fieldError(addError, 'address') ? null : addError}
              onReload={onReload(setAddError)}
            />
            <Group>
              <Button
                type="submit"
                variant="default"
                leftSection={<IconMailPlus size={16} aria-hidden />}
                loading={busy === 'add'}
                disabled={address.trim() === ''}
              >
                {t('userPage.emails.add')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Section>
  );
}

function EmailRow({
  email,
  readOnly,
  busy,
  onPrimary,
  onVerify,
  onRemove,
  candidate,
  onConnect,
}: {
  email: UserEmail;
  readOnly: boolean;
  busy: string | null;
  onPrimary: () => void;
  onVerify: () => void;
  onRemove: () => void;
  candidate: MergeCandidate | undefined;
  onConnect: (c: MergeCandidate) => void;
}) {
  const { t } = useTranslation();
  return (
    <Paper component="li" withBorder p="sm" aria-label={email.address}>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="xs">
          <Text fw={500}>{email.address}</Text>
          {email.primary && (
            <Badge color="blue" variant="light" c="dark.7">
              {t('userPage.emails.primary')}
            </Badge>
          )}
          <Badge color={email.verified ? 'green' : 'gray'} variant="light" c="dark.7">
            {email.verified ? t('userPage.emails.verified') : t('userPage.emails.unverified')}
          </Badge>
        </Group>
        {!readOnly && (
          <Group gap="xs">
            {!email.primary && (
              <Button
                size="xs"
                variant="light"
                loading={busy === `primary:${email.id}`}
                onClick={onPrimary}
                aria-label={t('userPage.emails.makePrimaryOf', { address: email.address })}
              >
                {t('userPage.emails.makePrimary')}
              </Button>
            )}
            {!email.verified && (
              <Button
                size="xs"
                variant="light"
                loading={busy === `verify:${email.id}`}
                onClick={onVerify}
                aria-label={t('userPage.emails.verifyOf', { address: email.address })}
              >
                {t('userPage.emails.verify')}
              </Button>
            )}
            {candidate && (
              <Button
                size="xs"
                variant="light"
                color="grape"
                leftSection={<IconArrowMerge size={14} aria-hidden />}
                onClick={() => onConnect(candidate)}
                aria-label={t('userPage.emails.connectOf', { address: email.address })}
              >
                {t('userPage.emails.connect')}
              </Button>
            )}
            {!email.primary && (
              <Button
                size="xs"
                variant="light"
                color="red"
                loading={busy === `remove:${email.id}`}
                onClick={onRemove}
                aria-label={t('userPage.emails.removeOf', { address: email.address })}
              >
                {t('userPage.emails.remove')}
              </Button>
            )}
          </Group>
        )}
      </Group>
    </Paper>
  );
}
