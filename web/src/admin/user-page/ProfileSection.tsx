import { useState, type FormEvent, type ReactNode } from 'react';
import {
  ActionIcon,
  Badge,
  Button,
  CopyButton,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Gender, Language } from '../../api/types.ts';
import { updateUser, type ProfileChanges } from '../../api/user-detail.ts';
import { useFormat } from '../../i18n/format.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { domainName, useDomains } from '../users-list/domains.ts';
import {
  EditError,
  fieldError,
  Refused,
  refusal,
  Section,
  tagColors,
  useDraft,
  useUserPage,
} from './shared.tsx';

const genders: Gender[] = ['female', 'male', 'diverse', 'unspecified'];
const languages: Language[] = ['de', 'en'];

/** R-ADM-03: what the profile shows at a glance, with its tags. */
export function ProfileOverview() {
  const { t } = useTranslation();
  const format = useFormat();
  const { user } = useUserPage();
  const { session } = useSession();
  const domains = useDomains(session);
  const dash = '–';
  return (
    <Stack gap="sm">
      <Group gap={6} aria-label={t('userPage.profile.tags')} role="list">
        {user.tags.map((tag) => (
          <Badge key={tag} role="listitem" color={tagColors[tag]} variant="light" c="dark.7">
            {t(`tags.${tag}`)}
          </Badge>
        ))}
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" component="dl" m={0}>
        <Property label={t('userPage.profile.displayName')}>{user.displayName}</Property>
        <Property label={t('userPage.profile.primaryEmail')}>{user.primaryEmail ?? dash}</Property>
        <Property label={t('userPage.profile.username')}>
          <Text span>{user.username ?? dash}</Text>
          <Text size="xs" c="dimmed">
            {t('userPage.profile.usernameHint')}
          </Text>
        </Property>
        <Property label={t('userPage.profile.id')}>
          <Group gap={4} wrap="nowrap">
            <Text span ff="monospace" size="sm" data-testid="user-id">
              {user.id}
            </Text>
            <CopyButton value={user.id}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? t('userPage.copied') : t('userPage.profile.copyId')}>
                  <ActionIcon
                    variant="subtle"
                    color={copied ? 'teal' : 'gray'}
                    onClick={copy}
                    aria-label={t('userPage.profile.copyId')}
                  >
                    {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
        </Property>
        <Property label={t('userPage.profile.created')}>
          <Tooltip label={format.exact(user.createdAt)} openDelay={300}>
            <Text span component="time" dateTime={user.createdAt} tabIndex={0}>
              {format.date(user.createdAt)}
            </Text>
          </Tooltip>
        </Property>
        <Property label={t('userPage.profile.role')}>{t(`roles.${user.role}`)}</Property>
        {(domains.length > 0 || user.domainId !== null) && (
          <Property label={t('userPage.profile.domain')}>
            {user.domainId === null
              ? t('userPage.profile.noDomain')
              : (domainName(domains, user.domainId) ?? dash)}
          </Property>
        )}
      </SimpleGrid>
    </Stack>
  );
}

function Property({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text component="dt" size="sm" c="dimmed">
        {label}
      </Text>
      <Text component="dd" m={0} fw={500}>
        {children}
      </Text>
    </div>
  );
}

type ProfileForm = {
  firstName: string;
  lastName: string;
  gender: Gender;
  language: Language;
  /** '' for none (issue 10 #2). */
  domainId: string;
};

/** Names, gender and language; the username stays the user's own (R-ADM-02). */
export function ProfileSection() {
  const { t } = useTranslation();
  const { session } = useSession();
  const { user, etag, apply, reload } = useUserPage();
  const domains = useDomains(session);
  const [form, setForm] = useDraft<ProfileForm>({
    firstName: user.firstName,
    lastName: user.lastName,
    gender: user.gender,
    language: user.language,
    domainId: user.domainId ?? '',
  });
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  if (!session) return null;
  const refused = refusal(session, user, 'update');

  const changes: ProfileChanges = {};
  if (form.firstName !== user.firstName) changes.firstName = form.firstName;
  if (form.lastName !== user.lastName) changes.lastName = form.lastName;
  if (form.gender !== user.gender) changes.gender = form.gender;
  if (form.language !== user.language) changes.language = form.language;
  if (form.domainId !== (user.domainId ?? '')) changes.domainId = form.domainId || null;
  const dirty = Object.keys(changes).length > 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setSaved(false);
    try {
      apply(await updateUser(user.id, etag, changes));
      setError(null);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  const set = <K extends keyof ProfileForm>(key: K, value: ProfileForm[K]) => {
    setSaved(false);
    setForm({ [key]: value });
  };

  return (
    <Section title={t('userPage.profile.editTitle')}>
      <Refused reason={refused} />
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('userPage.profile.firstName')}
              value={form.firstName}
              onChange={(e) => set('firstName', e.currentTarget.value)}
              error={fieldError(error, 'firstName')}
              disabled={!!refused}
              required
            />
            <TextInput
              label={t('userPage.profile.lastName')}
              value={form.lastName}
              onChange={(e) => set('lastName', e.currentTarget.value)}
              error={fieldError(error, 'lastName')}
              disabled={!!refused}
              required
            />
            <Select
              label={t('userPage.profile.gender')}
              data={genders.map((g) => ({ value: g, label: t(`userPage.genders.${g}`) }))}
              value={form.gender}
              onChange={(v) => v && set('gender', v)}
              allowDeselect={false}
              error={fieldError(error, 'gender')}
              disabled={!!refused}
            />
            <Select
              label={t('userPage.profile.language')}
              data={languages.map((l) => ({ value: l, label: t(`language.names.${l}`) }))}
              value={form.language}
              onChange={(v) => v && set('language', v)}
              allowDeselect={false}
              error={fieldError(error, 'language')}
              disabled={!!refused}
            />
            {domains.length > 0 && (
              <Select
                label={t('userPage.profile.domain')}
                data={[
                  { value: '', label: t('userPage.profile.noDomain') },
                  ...domains.map((d) => ({ value: d.id, label: d.name })),
                ]}
                value={form.domainId}
                onChange={(v) => set('domainId', v ?? '')}
                allowDeselect={false}
                error={fieldError(error, 'domainId')}
                disabled={!!refused}
              />
            )}
          </SimpleGrid>
          <EditError error={error} onReload={() => void reload().then(() => setError(null), setError)} />
          {saved && (
            <Text size="sm" c="teal.9" role="status">
              {t('userPage.saved')}
            </Text>
          )}
          {!refused && (
            <Group>
              <Button type="submit" loading={saving} disabled={!dirty}>
                {t('userPage.profile.save')}
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Section>
  );
}

/** R-ADM-05: inactive users cannot sign in; switching asks first, since it ends their sessions. */
export function ActiveSwitch() {
  const { t } = useTranslation();
  const { session } = useSession();
  const { user, etag, apply, reload } = useUserPage();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!session) return null;
  const refused = refusal(session, user, 'update');
  const next = !user.active;

  const confirm = async () => {
    setBusy(true);
    try {
      apply(await updateUser(user.id, etag, { active: next }));
      setError(null);
      setAsking(false);
    } catch (err) {
      setError(err);
      setAsking(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="xs">
      <Switch
        label={t('userPage.active.label')}
        description={t('userPage.active.hint')}
        checked={user.active}
        disabled={!!refused}
        onChange={() => setAsking(true)}
      />
      <EditError error={error} onReload={() => void reload().then(() => setError(null), setError)} />
      <Modal
        opened={asking}
        onClose={() => setAsking(false)}
        title={next ? t('userPage.active.activateTitle') : t('userPage.active.deactivateTitle')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack>
          <Text>
            {next
              ? t('userPage.active.activateBody', { name: user.displayName })
              : t('userPage.active.deactivateBody', { name: user.displayName })}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              color={next ? 'blue' : 'red'}
              loading={busy}
              onClick={() => void confirm()}
              data-autofocus
            >
              {next ? t('userPage.active.activate') : t('userPage.active.deactivate')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
