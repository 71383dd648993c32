import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import {
  Button,
  Group,
  Loader,
  Modal,
  MultiSelect,
  Paper,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconLogin2, IconUserMinus, IconUserPlus, IconUsersGroup } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  getResources,
  listDomains,
  listGroups,
  listPowerUsers,
  setResources,
  setRole,
  type Domain,
  type Group as OrgGroup,
  type Member,
  type PowerUserResources,
} from '../../api/orgs.ts';
import type { UserListItem } from '../../api/types.ts';
import { ImpersonateDialog } from './ImpersonateDialog.tsx';
import { ProblemAlert, UserMultiPicker, UserPicker, fieldError } from './orgs/shared.tsx';

// Power users (R-IMP-02): superadmins make users power users, assign them users, groups and
// domains (the users they reach), and log in as them (R-IMP-01), starting here so that "back
// to your account" returns to this page (origin 'power-users').

/** Every power user, page by page (there are few). */
async function allPowerUsers(): Promise<UserListItem[]> {
  const all: UserListItem[] = [];
  let cursor: string | null = null;
  do {
    const page = await listPowerUsers(cursor);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && all.length < 1000);
  return all;
}

export function PowerUsersPage() {
  const { t } = useTranslation();
  const [items, setItems] = useState<UserListItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [candidate, setCandidate] = useState<UserListItem | null>(null);
  const [promoting, setPromoting] = useState(false);
  const [promoteError, setPromoteError] = useState<unknown>(null);
  const [editing, setEditing] = useState<UserListItem | null>(null);
  const [demoting, setDemoting] = useState<UserListItem | null>(null);
  const [acting, setActing] = useState<UserListItem | null>(null);

  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    let live = true;
    allPowerUsers().then(
      (all) => {
        if (!live) return;
        setItems(all);
        setError(null);
      },
      (e: unknown) => {
        if (live) setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [reloads]);
  const load = () => setReloads((n) => n + 1);

  const promote = async (event: FormEvent) => {
    event.preventDefault();
    if (!candidate) return;
    setPromoting(true);
    setPromoteError(null);
    try {
      const user = await setRole(candidate.id, 'power-user');
      setCandidate(null);
      load();
      setEditing({ ...candidate, ...user });
    } catch (e) {
      setPromoteError(e);
    } finally {
      setPromoting(false);
    }
  };

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('powerUsersPage.title')}
      </Title>
      <Text c="dimmed" size="sm">
        {t('powerUsersPage.intro')}
      </Text>
      <Paper withBorder p="md">
        <form onSubmit={(e) => void promote(e)}>
          <Group align="flex-end">
            <UserPicker
              label={t('powerUsersPage.promoteLabel')}
              value={candidate}
              onChange={setCandidate}
              role="user"
            />
            <Button
              type="submit"
              leftSection={<IconUserPlus size={16} aria-hidden />}
              disabled={!candidate}
              loading={promoting}
            >
              {t('powerUsersPage.promote')}
            </Button>
          </Group>
        </form>
        <Stack mt={promoteError ? 'sm' : 0}>
          <ProblemAlert error={promoteError} />
        </Stack>
      </Paper>
      <ProblemAlert error={error} />
      <Paper withBorder>
        <Table.ScrollContainer minWidth={720}>
          <Table striped verticalSpacing="sm">
            <VisuallyHidden component="caption">{t('powerUsersPage.caption')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('powerUsersPage.columns.name')}</Table.Th>
                <Table.Th scope="col">{t('powerUsersPage.columns.email')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('powerUsersPage.columns.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items?.map((user) => (
                <Table.Tr key={user.id}>
                  <Table.Th scope="row">
                    <Text fw={600} size="sm">
                      {user.displayName}
                    </Text>
                    {!user.active && (
                      <Text size="xs" c="dimmed">
                        {t('powerUsersPage.inactive')}
                      </Text>
                    )}
                  </Table.Th>
                  <Table.Td>
                    <Text size="sm">{user.primaryEmail ?? '–'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button
                        size="xs"
                        variant="light"
                        leftSection={<IconUsersGroup size={14} aria-hidden />}
                        aria-label={`${t('powerUsersPage.resources')}: ${user.displayName}`}
                        onClick={() => setEditing(user)}
                      >
                        {t('powerUsersPage.resources')}
                      </Button>
                      <Button
                        size="xs"
                        variant="light"
                        leftSection={<IconLogin2 size={14} aria-hidden />}
                        aria-label={`${t('powerUsersPage.loginAs')}: ${user.displayName}`}
                        disabled={!user.active}
                        onClick={() => setActing(user)}
                      >
                        {t('powerUsersPage.loginAs')}
                      </Button>
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        leftSection={<IconUserMinus size={14} aria-hidden />}
                        aria-label={`${t('powerUsersPage.demote')}: ${user.displayName}`}
                        onClick={() => setDemoting(user)}
                      >
                        {t('powerUsersPage.demote')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {!items && !error && (
          <Group justify="center" p="lg">
            <Loader aria-label={t('common.loading')} />
          </Group>
        )}
        {items?.length === 0 && (
          <Text p="lg" c="dimmed" ta="center">
            {t('powerUsersPage.empty')}
          </Text>
        )}
      </Paper>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing ? t('powerUsersPage.resourcesTitle', { name: editing.displayName }) : ''}
        size="lg"
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {editing && <ResourcesForm key={editing.id} user={editing} onDone={() => setEditing(null)} />}
      </Modal>
      <Modal
        opened={demoting !== null}
        onClose={() => setDemoting(null)}
        title={demoting ? t('powerUsersPage.demoteTitle', { name: demoting.displayName }) : ''}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {demoting && (
          <DemoteForm
            key={demoting.id}
            user={demoting}
            onClose={() => setDemoting(null)}
            onDone={() => {
              setDemoting(null);
              void load();
            }}
          />
        )}
      </Modal>
      {/* R-IMP-01: the power user's row starts the same confirmation as the user list's. */}
      <ImpersonateDialog user={acting} origin="power-users" onClose={() => setActing(null)} />
    </Stack>
  );
}

function DemoteForm({
  user,
  onClose,
  onDone,
}: {
  user: UserListItem;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const demote = async () => {
    setBusy(true);
    setError(null);
    try {
      await setRole(user.id, 'user');
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Stack>
      <Text size="sm">{t('powerUsersPage.demoteExplain', { name: user.displayName })}</Text>
      <ProblemAlert error={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose} disabled={busy} data-autofocus>
          {t('common.cancel')}
        </Button>
        <Button color="red" loading={busy} onClick={() => void demote()}>
          {t('powerUsersPage.demoteConfirm')}
        </Button>
      </Group>
    </Stack>
  );
}

interface Choice {
  users: Member[];
  groups: string[];
  domains: string[];
}

const choiceOf = (r: PowerUserResources): Choice => ({
  users: r.users,
  groups: r.groups.map((g) => g.id),
  domains: r.domains.map((d) => d.id),
});

/** A power user's users, groups and domains; saved at once with the ETag of the read. */
function ResourcesForm({ user, onDone }: { user: UserListItem; onDone: () => void }) {
  const { t } = useTranslation();
  const [loaded, setLoaded] = useState<{ choice: Choice; etag: string | null } | null>(null);
  const [choice, setChoice] = useState<Choice | null>(null);
  const [groups, setGroups] = useState<OrgGroup[]>([]);
  const [domains, setDomains] = useState<Domain[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    Promise.all([getResources(user.id), listGroups(), listDomains()]).then(
      ([r, g, d]) => {
        if (!live) return;
        setLoaded({ choice: choiceOf(r.data), etag: r.etag });
        setChoice(choiceOf(r.data));
        setGroups(g.items);
        setDomains(d.items);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [user.id]);

  // After a conflict: take the fresh version and its ETag, keep what was chosen here.
  const reload = async () => {
    try {
      const r = await getResources(user.id);
      setLoaded({ choice: choiceOf(r.data), etag: r.etag });
      setError(null);
    } catch (e) {
      setError(e);
    }
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!choice || !loaded) return;
    setBusy(true);
    setError(null);
    try {
      await setResources(
        user.id,
        { users: choice.users.map((u) => u.id), groups: choice.groups, domains: choice.domains },
        loaded.etag,
      );
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  if (!choice) {
    return error ? (
      <ProblemAlert error={error} />
    ) : (
      <Group justify="center" p="lg">
        <Loader aria-label={t('common.loading')} />
      </Group>
    );
  }
  return (
    <form onSubmit={(e) => void save(e)} noValidate>
      <Stack>
        <Text size="sm">{t('powerUsersPage.resourcesExplain', { name: user.displayName })}</Text>
        <UserMultiPicker
          label={t('powerUsersPage.assignedUsers')}
          value={choice.users}
          onChange={(users) => setChoice({ ...choice, users })}
          error={fieldError(error, 'users')}
        />
        {groups.length === 0 ? (
          // An empty choice would be an empty listbox, which screen readers cannot use.
          <Text size="sm">
            <b>{t('powerUsersPage.assignedGroups')}:</b> {t('powerUsersPage.noGroups')}
          </Text>
        ) : (
          <MultiSelect
            label={t('powerUsersPage.assignedGroups')}
            description={t('powerUsersPage.assignedGroupsHint')}
            placeholder={t('powerUsersPage.choose')}
            data={groups.map((g) => ({ value: g.id, label: g.name }))}
            value={choice.groups}
            onChange={(ids) => setChoice({ ...choice, groups: ids })}
            searchable
            clearable
            clearButtonProps={{ 'aria-label': t('orgs.picker.clear') }}
            nothingFoundMessage={t('orgs.picker.nothingFound')}
            error={fieldError(error, 'groups')}
          />
        )}
        {domains.length === 0 ? (
          // An empty choice would be an empty listbox, which screen readers cannot use.
          <Text size="sm">
            <b>{t('powerUsersPage.assignedDomains')}:</b> {t('powerUsersPage.noDomains')}
          </Text>
        ) : (
          <MultiSelect
            label={t('powerUsersPage.assignedDomains')}
            description={t('powerUsersPage.assignedDomainsHint')}
            placeholder={t('powerUsersPage.choose')}
            data={domains.map((d) => ({
              value: d.id,
              label: d.hostName ? `${d.name} (${d.hostName})` : d.name,
            }))}
            value={choice.domains}
            onChange={(ids) => setChoice({ ...choice, domains: ids })}
            searchable
            clearable
            clearButtonProps={{ 'aria-label': t('orgs.picker.clear') }}
            nothingFoundMessage={t('orgs.picker.nothingFound')}
            error={fieldError(error, 'domains')}
          />
        )}
        <ProblemAlert error={error} onReload={() => void reload()} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('orgs.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
