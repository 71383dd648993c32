import { useState } from 'react';
import { Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconPencil, IconTrash, IconUsers } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { createGroup, listGroups, type Group as OrgGroup } from '../../api/orgs.ts';
import { InlineCreateForm } from '../../components/InlineCreateForm.tsx';
import { ListTable, RowAction } from '../../components/ListTable.tsx';
import { useAction, useLoad } from '../../components/useLoad.ts';
import { useFormat } from '../../i18n/format.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { hasPermission } from '../../session/permissions.ts';
import { DeleteGroupForm, RenameGroupForm } from './groups/GroupDialogs.tsx';
import { MembersForm } from './groups/MembersForm.tsx';
import { ProblemAlert, fieldError } from './orgs/shared.tsx';

// Groups (R-IMP-02): a power user who has a group assigned reaches its members. Reading needs
// users.read; creating, renaming, deleting and changing members groups.manage.

type Dialog = { kind: 'rename' | 'delete' | 'members'; group: OrgGroup } | null;

export function GroupsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { session } = useSession();
  const list = useLoad(async () => (await listGroups()).items);
  const [name, setName] = useState('');
  const creating = useAction();
  const [dialog, setDialog] = useState<Dialog>(null);

  if (!session) return null;
  const mayManage = hasPermission(session, 'groups.manage');

  const create = () =>
    void creating.run(
      () => createGroup(name.trim()),
      () => {
        setName('');
        list.reload();
      },
    );
  const close = () => setDialog(null);
  const closeAndLoad = () => {
    setDialog(null);
    list.reload();
  };
  const createError = creating.error;

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('groupsPage.title')}
      </Title>
      <Text c="dimmed" size="sm">
        {t('groupsPage.intro')}
      </Text>
      {mayManage && (
        <InlineCreateForm
          label={t('groupsPage.create')}
          onSubmit={create}
          busy={creating.busy}
          canCreate={name.trim() !== ''}
          alert={
            createError && !fieldError(createError, 'name') ? <ProblemAlert error={createError} /> : null
          }
        >
          <TextInput
            label={t('groupsPage.newName')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldError(createError, 'name')}
            maxLength={100}
            style={{ flex: 1, minWidth: 240 }}
          />
        </InlineCreateForm>
      )}
      <ProblemAlert error={list.error} />
      <ListTable
        caption={t('groupsPage.caption')}
        columns={[
          t('groupsPage.columns.name'),
          t('groupsPage.columns.members'),
          t('groupsPage.columns.created'),
        ]}
        actionsLabel={t('groupsPage.columns.actions')}
        items={list.data}
        error={list.error}
        empty={t('groupsPage.empty')}
        row={(group) => (
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
                <RowAction
                  label={t('groupsPage.members')}
                  name={group.name}
                  icon={<IconUsers size={14} aria-hidden />}
                  onClick={() => setDialog({ kind: 'members', group })}
                />
                {mayManage && (
                  <>
                    <RowAction
                      label={t('groupsPage.rename')}
                      name={group.name}
                      icon={<IconPencil size={14} aria-hidden />}
                      onClick={() => setDialog({ kind: 'rename', group })}
                    />
                    <RowAction
                      label={t('groupsPage.delete')}
                      name={group.name}
                      icon={<IconTrash size={14} aria-hidden />}
                      danger
                      onClick={() => setDialog({ kind: 'delete', group })}
                    />
                  </>
                )}
              </Group>
            </Table.Td>
          </Table.Tr>
        )}
      />
      <Modal
        opened={dialog !== null}
        onClose={close}
        size={dialog?.kind === 'members' ? 'lg' : 'md'}
        title={dialog ? t(`groupsPage.${dialog.kind}Title`, { name: dialog.group.name }) : ''}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {dialog?.kind === 'rename' && (
          <RenameGroupForm group={dialog.group} onClose={close} onDone={closeAndLoad} />
        )}
        {dialog?.kind === 'delete' && (
          <DeleteGroupForm group={dialog.group} onClose={close} onDone={closeAndLoad} />
        )}
        {dialog?.kind === 'members' && (
          <MembersForm group={dialog.group} mayManage={mayManage} onClose={close} onDone={closeAndLoad} />
        )}
      </Modal>
    </Stack>
  );
}
