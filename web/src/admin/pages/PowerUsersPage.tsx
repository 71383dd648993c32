import { useState } from 'react';
import type { FormEvent } from 'react';
import { Button, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconLogin2, IconUserMinus, IconUserPlus, IconUsersGroup } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { listPowerUsers, setRole } from '../../api/orgs.ts';
import type { UserListItem } from '../../api/types.ts';
import { ListTable, RowAction } from '../../components/ListTable.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { ImpersonateDialog } from './ImpersonateDialog.tsx';
import { DemoteForm } from './power-users/DemoteForm.tsx';
import { ResourcesForm } from './power-users/ResourcesForm.tsx';
import { UserPicker } from '../../components/UserPicker.tsx';
import { ProblemAlert } from './orgs/shared.tsx';

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
  const list = useLoad(allPowerUsers);
  const [candidate, setCandidate] = useState<UserListItem | null>(null);
  const [promoting, setPromoting] = useState(false);
  const [promoteError, setPromoteError] = useState<unknown>(null);
  const [editing, setEditing] = useState<UserListItem | null>(null);
  const [demoting, setDemoting] = useState<UserListItem | null>(null);
  const [acting, setActing] = useState<UserListItem | null>(null);

  const load = list.reload;

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
      <ProblemAlert error={list.error} />
      <ListTable
        caption={t('powerUsersPage.caption')}
        columns={[t('powerUsersPage.columns.name'), t('powerUsersPage.columns.email')]}
        actionsLabel={t('powerUsersPage.columns.actions')}
        items={list.data}
        error={list.error}
        empty={t('powerUsersPage.empty')}
        minWidth={720}
        row={(user) => (
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
                <RowAction
                  label={t('powerUsersPage.resources')}
                  name={user.displayName}
                  icon={<IconUsersGroup size={14} aria-hidden />}
                  onClick={() => setEditing(user)}
                />
                <RowAction
                  label={t('powerUsersPage.loginAs')}
                  name={user.displayName}
                  icon={<IconLogin2 size={14} aria-hidden />}
                  disabled={!user.active}
                  onClick={() => setActing(user)}
                />
                <RowAction
                  label={t('powerUsersPage.demote')}
                  name={user.displayName}
                  icon={<IconUserMinus size={14} aria-hidden />}
                  danger
                  onClick={() => setDemoting(user)}
                />
              </Group>
            </Table.Td>
          </Table.Tr>
        )}
      />
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
