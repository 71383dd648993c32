import { useEffect, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  List,
  Loader,
  Modal,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { UserDetail } from '../../api/types.ts';
import {
  mergeProfiles,
  previewMerge,
  type MergeCandidate,
  type MergeChoices,
  type MergePreview,
  type Rights,
} from '../../api/merge.ts';
import { EditError } from './shared.tsx';

// R-ADM-10, seed 004 "Profile verbinden": first the preview (both profiles side by side, what
// moves, what stays, what is dropped, and the differences to decide), then "Connect". The
// server decides everything; this dialog only shows its plan and sends the choices back.

export function ConnectProfilesDialog({
  user,
  candidate,
  onClose,
  onConnected,
}: {
  user: UserDetail;
  candidate: MergeCandidate;
  onClose: () => void;
  onConnected: (survivorId: string) => void;
}) {
  const { t } = useTranslation();
  // The holder of the verified address stays unless the administrator picks this profile.
  const [keepOther, setKeepOther] = useState(true);
  const [choices, setChoices] = useState<MergeChoices>({});
  const [preview, setPreview] = useState<MergePreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [survivorId, absorbId] = keepOther ? [candidate.user.id, user.id] : [user.id, candidate.user.id];

  useEffect(() => {
    let current = true;
    previewMerge(survivorId, absorbId, choices).then(
      (p) => current && (setPreview(p), setError(null)),
      (err: unknown) => current && (setPreview(null), setError(err)),
    );
    return () => void (current = false);
  }, [survivorId, absorbId, choices]);

  const undecided =
    !preview ||
    (preview.differences.permissions !== null && !choices.permissions) ||
    (preview.differences.domain !== null && !choices.domain);

  const connect = async () => {
    if (!preview) return;
    setBusy(true);
    try {
      const survivor = await mergeProfiles(preview, choices);
      onConnected(survivor.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened
      size="xl"
      onClose={onClose}
      title={t('userPage.connect.title')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <Stack>
        <Text size="sm">
          {t('userPage.connect.intro', { address: candidate.address, name: candidate.user.displayName })}
        </Text>
        <Radio.Group
          label={t('userPage.connect.whoStays')}
          value={keepOther ? 'other' : 'this'}
          onChange={(v) => {
            setKeepOther(v === 'other');
            setChoices({});
          }}
        >
          <Stack gap={4} mt={4}>
            <Radio
              value="other"
              label={t('userPage.connect.keepOther', { name: candidate.user.displayName })}
            />
            <Radio value="this" label={t('userPage.connect.keepThis', { name: user.displayName })} />
          </Stack>
        </Radio.Group>
        <EditError error={error} />
        {!preview && !error && <Loader size="sm" role="status" aria-label={t('common.loading')} />}
        {preview && <PreviewBody preview={preview} choices={choices} onChoices={setChoices} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('userPage.connect.cancel')}
          </Button>
          <Button color="red" disabled={undecided} loading={busy} onClick={() => void connect()}>
            {t('userPage.connect.connect')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function PreviewBody({
  preview,
  choices,
  onChoices,
}: {
  preview: MergePreview;
  choices: MergeChoices;
  onChoices: (c: MergeChoices) => void;
}) {
  const { t } = useTranslation();
  const rights = preview.differences.permissions;
  const domain = preview.differences.domain;
  const moved = [
    ...preview.emails.move.map((e) => t('userPage.connect.moves.email', { address: e.address })),
    ...preview.emails.verify.map((a) => t('userPage.connect.moves.verify', { address: a })),
    count(t, 'linkedAccounts', preview.linkedAccounts.move),
    count(t, 'groups', preview.groups.move.length),
    count(t, 'resources', preview.powerUserResources.move.length),
    count(t, 'terms', preview.tables.policy_acceptances.moved),
    count(t, 'notifications', preview.notifications.move),
    count(t, 'preferences', preview.preferences.move.length),
  ].filter(Boolean);
  const dropped = [
    ...preview.emails.drop.map((a) => t('userPage.connect.drops.email', { address: a })),
    count(t, 'sessions', preview.tables.sessions.dropped, 'drops'),
    count(t, 'preferences', preview.preferences.drop.length, 'drops'),
    count(t, 'groups', preview.groups.drop.length, 'drops'),
    count(t, 'resources', preview.powerUserResources.drop.length, 'drops'),
    count(t, 'assignments', preview.assignmentsDropped.length, 'drops'),
    count(
      t,
      'terms',
      preview.tables.policy_acceptances.dropped + preview.tables.policy_acceptances.replaced,
      'drops',
    ),
    count(
      t,
      'signIns',
      preview.tables.login_challenges.dropped +
        preview.tables.email_verifications.dropped +
        preview.tables.totp_enrolments.dropped,
      'drops',
    ),
    count(t, 'appGrants', preview.tables.oidc_grant_links.dropped, 'drops'),
    t('userPage.connect.drops.profile', {
      fields: preview.droppedProfile.map((f) => t(`userPage.connect.fields.${f}`)).join(', '),
    }),
  ].filter(Boolean);

  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <ProfileCard user={preview.survivor} label={t('userPage.connect.stays')} color="green" />
        <ProfileCard user={preview.absorbed} label={t('userPage.connect.absorbed')} color="red" />
      </SimpleGrid>
      {rights && (
        <Radio.Group
          label={t('userPage.connect.permissionsDiffer')}
          value={choices.permissions ?? null}
          onChange={(v) => onChoices({ ...choices, permissions: v })}
          required
        >
          <Stack gap={4} mt={4}>
            {(['survivor', 'union', 'absorbed'] as const).map((k) => (
              <Radio
                key={k}
                value={k}
                label={`${t(`userPage.connect.rights.${k}`)}: ${describe(t, rights[k])}`}
              />
            ))}
          </Stack>
        </Radio.Group>
      )}
      {domain && (
        <Radio.Group
          label={t('userPage.connect.domainsDiffer')}
          value={choices.domain ?? null}
          onChange={(v) => onChoices({ ...choices, domain: v })}
          required
        >
          <Stack gap={4} mt={4}>
            <Radio
              value="survivor"
              label={t('userPage.connect.domainOf', { name: preview.survivor.displayName })}
            />
            <Radio
              value="absorbed"
              label={t('userPage.connect.domainOf', { name: preview.absorbed.displayName })}
            />
          </Stack>
        </Radio.Group>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Stack gap={4}>
          <Title order={3} size="h5">
            {t('userPage.connect.movesTitle')}
          </Title>
          <List size="sm" aria-label={t('userPage.connect.movesTitle')}>
            {moved.map((line) => (
              <List.Item key={line}>{line}</List.Item>
            ))}
          </List>
        </Stack>
        <Stack gap={4}>
          <Title order={3} size="h5">
            {t('userPage.connect.dropsTitle')}
          </Title>
          <List size="sm" aria-label={t('userPage.connect.dropsTitle')}>
            {dropped.map((line) => (
              <List.Item key={line}>{line}</List.Item>
            ))}
          </List>
        </Stack>
      </SimpleGrid>
      <Alert color="gray">{t('userPage.connect.kept')}</Alert>
    </Stack>
  );
}

type T = ReturnType<typeof useTranslation>['t'];

/** "3 notifications", or nothing for none. */
function count(t: T, what: string, n: number, list: 'moves' | 'drops' = 'moves'): string {
  return n > 0 ? t(`userPage.connect.${list}.${what}`, { count: n }) : '';
}

function describe(t: T, r: Rights): string {
  const names = [
    t(`userPage.connect.roles.${r.role}`),
    ...[...r.system, ...r.general].map((p) => t(`userPage.permissionNames.${p}`)),
  ];
  return names.join(', ');
}

function ProfileCard({ user, label, color }: { user: UserDetail; label: string; color: string }) {
  return (
    <Paper withBorder p="sm" aria-label={`${label}: ${user.displayName}`}>
      <Stack gap={4}>
        <Group gap="xs">
          <Badge color={color} variant="light" c="dark.7">
            {label}
          </Badge>
          <Text fw={600}>{user.displayName}</Text>
        </Group>
        <Text size="sm">{user.primaryEmail}</Text>
        <Text size="sm" c="dimmed">
          {user.id}
        </Text>
        <Text size="sm">{user.emails.map((e) => e.address).join(', ')}</Text>
      </Stack>
    </Paper>
  );
}
