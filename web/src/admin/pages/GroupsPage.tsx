import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import {
  Button,
  Group,
  Loader,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconPencil, IconPlus, IconTrash, IconUsers } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  createGroup,
  deleteGroup,
  getGroup,
  getMembers,
  listGroups,
  renameGroup,
  setMembers,
  type Group as OrgGroup,
  type Member,
} from '../../api/orgs.ts';
import { useFormat } from '../../i18n/format.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { hasPermission } from '../../session/permissions.ts';
import { ProblemAlert, UserMultiPicker, fieldError } from './orgs/shared.tsx';

// Groups (R-IMP-02): a power user who has a group assigned reaches its members. Reading needs
// users.read; creating, renaming, deleting and changing members groups.manage.

type Dialog = { kind: 'rename' | 'delete' | 'members'; group: OrgGroup } | null;

export function GroupsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { session } = useSession();
  const [items, setItems] = useState<OrgGroup[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<Dialog>(null);

  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    let live = true;
    listGroups().then(
      (r) => {
        if (!live) return;
        setItems(r.items);
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

  if (!session) return null;
  const mayManage = hasPermission(session, 'groups.manage');

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setCreating(true);
    setCreateError(null);
    try {
      await createGroup(name.trim());
      setName('');
      load();
    } catch (e) {
      setCreateError(e);
    } finally {
      setCreating(false);
    }
  };
  const close = () => setDialog(null);
  const closeAndLoad = () => {
    setDialog(null);
    void load();
  };

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('groupsPage.title')}
      </Title>
      <Text c="dimmed" size="sm">
        {t('groupsPage.intro')}
      </Text>
      {mayManage && (
        <Paper withBorder p="md">
          <form onSubmit={(e) => void create(e)} noValidate>
            <Group align="flex-start">
              <TextInput
                label={t('groupsPage.newName')}
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                error={fieldError(createError, 'name')}
                maxLength={100}
                style={{ flex: 1, minWidth: 240 }}
              />
              <Button
                type="submit"
                mt={25}
                leftSection={<IconPlus size={16} aria-hidden />}
                disabled={name.trim() === ''}
                loading={creating}
              >
                {t('groupsPage.create')}
              </Button>
            </Group>
            {createError && !fieldError(createError, 'name') ? (
              <Stack mt="sm">
                <ProblemAlert error={createError} />
              </Stack>
            ) : null}
          </form>
        </Paper>
      )}
      <ProblemAlert error={error} />
      <Paper withBorder>
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing="sm">
            <VisuallyHidden component="caption">{t('groupsPage.caption')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('groupsPage.columns.name')}</Table.Th>
                <Table.Th scope="col">{t('groupsPage.columns.members')}</Table.Th>
                <Table.Th scope="col">{t('groupsPage.columns.created')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('groupsPage.columns.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items?.map((group) => (
                <Table.Tr key={group.id}>
                  <Table.Th scope="row">
                    <Text fw={600} size="sm">
                      {group.name}
                    </Text>
                  </Table.Th>
                  <Table.Td>{format.number(group.memberCount)}</Table.Td>
                  <Table.Td>
                    <Text
                      size="sm"
                      component="time"
                      dateTime={group.createdAt}
                      title={format.exact(group.createdAt)}
                    >
                      {format.date(group.createdAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button
                        size="xs"
                        variant="light"
                        leftSection={<IconUsers size={14} aria-hidden />}
                        aria-label={`${t('groupsPage.members')}: ${group.name}`}
                        onClick={() => setDialog({ kind: 'members', group })}
                      >
                        {t('groupsPage.members')}
                      </Button>
                      {mayManage && (
                        <>
                          <Button
                            size="xs"
                            variant="light"
                            leftSection={<IconPencil size={14} aria-hidden />}
                            aria-label={`${t('groupsPage.rename')}: ${group.name}`}
                            onClick={() => setDialog({ kind: 'rename', group })}
                          >
                            {t('groupsPage.rename')}
                          </Button>
                          <Button
                            size="xs"
                            variant="subtle"
                            color="red"
                            leftSection={<IconTrash size={14} aria-hidden />}
                            aria-label={`${t('groupsPage.delete')}: ${group.name}`}
                            onClick={() => setDialog({ kind: 'delete', group })}
                          >
                            {t('groupsPage.delete')}
                          </Button>
                        </>
                      )}
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
            {t('groupsPage.empty')}
          </Text>
        )}
      </Paper>
      <Modal
        opened={dialog !== null}
        onClose={close}
        size={dialog?.kind === 'members' ? 'lg' : 'md'}
        title={dialog ? t(`groupsPage.${dialog.kind}Title`, { name: dialog.group.name }) : ''}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {dialog?.kind === 'rename' && (
          <RenameForm group={dialog.group} onClose={close} onDone={closeAndLoad} />
        )}
        {dialog?.kind === 'delete' && (
          <DeleteForm group={dialog.group} onClose={close} onDone={closeAndLoad} />
        )}
        {dialog?.kind === 'members' && (
          <MembersForm group={dialog.group} mayManage={mayManage} onClose={close} onDone={closeAndLoad} />
        )}
      </Modal>
    </Stack>
  );
}

interface FormProps {
  group: OrgGroup;
  onClose: () => void;
  onDone: () => void;
}

function RenameForm({ group, onClose, onDone }: FormProps) {
  const { t } = useTranslation();
  const [name, setName] = useState(group.name);
  const [etag, setEtag] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fetchVersion = useCallback(async () => {
    try {
      setEtag((await getGroup(group.id)).etag);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [group.id]);
  useEffect(() => {
    let live = true;
    getGroup(group.id).then(
      (r) => {
        if (live) setEtag(r.etag);
      },
      (e: unknown) => {
        if (live) setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [group.id]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await renameGroup(group.id, name.trim(), etag);
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack>
        <TextInput
          label={t('groupsPage.name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldError(error, 'name')}
          maxLength={100}
          data-autofocus
        />
        {!fieldError(error, 'name') && <ProblemAlert error={error} onReload={() => void fetchVersion()} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy} disabled={name.trim() === ''}>
            {t('orgs.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DeleteForm({ group, onClose, onDone }: FormProps) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteGroup(group.id, null);
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Stack>
      <Text size="sm">{t('groupsPage.deleteExplain', { name: group.name, count: group.memberCount })}</Text>
      <ProblemAlert error={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose} disabled={busy} data-autofocus>
          {t('common.cancel')}
        </Button>
        <Button color="red" loading={busy} onClick={() => void remove()}>
          {t('groupsPage.deleteConfirm')}
        </Button>
      </Group>
    </Stack>
  );
}

function MembersForm({ group, mayManage, onClose, onDone }: FormProps & { mayManage: boolean }) {
  const { t } = useTranslation();
  const [members, setMembersState] = useState<Member[] | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    getMembers(group.id).then(
      (r) => {
        if (!live) return;
        setMembersState(r.data.users);
        setEtag(r.etag);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [group.id]);
  // After a conflict: the fresh version's ETag; the members chosen here stay.
  const reload = async () => {
    try {
      setEtag((await getMembers(group.id)).etag);
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!members) return;
    setBusy(true);
    setError(null);
    try {
      await setMembers(
        group.id,
        members.map((m) => m.id),
        etag,
      );
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  if (!members) {
    return error ? (
      <ProblemAlert error={error} />
    ) : (
      <Group justify="center" p="lg">
        <Loader aria-label={t('common.loading')} />
      </Group>
    );
  }
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack>
        <UserMultiPicker
          label={t('groupsPage.membersLabel')}
          description={t('groupsPage.membersHint')}
          value={members}
          onChange={setMembersState}
          error={fieldError(error, 'users')}
          disabled={!mayManage}
        />
        <ProblemAlert error={error} onReload={() => void reload()} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>
            {mayManage ? t('common.cancel') : t('common.close')}
          </Button>
          {mayManage && (
            <Button type="submit" loading={busy}>
              {t('orgs.save')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
