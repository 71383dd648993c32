import { useState } from 'react';
import { TextInput } from '@mantine/core';
import { IconPencil, IconTrash, IconUsers } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { createGroup, listGroups, type Group } from '../../../api/orgs.ts';
import { InlineCreateForm } from '../../../components/InlineCreateForm.tsx';
import { useAction } from '../../../components/useLoad.ts';
import { DeleteGroupForm, RenameGroupForm } from '../groups/GroupDialogs.tsx';
import { MembersForm } from '../groups/MembersForm.tsx';
import { ProblemAlert, fieldError } from '../orgs/shared.tsx';
import { ResourcePage, type DialogProps, type Resource } from '../ResourcePage.tsx';

// Groups (R-IMP-02): a power user who has a group assigned reaches its members. Reading needs
// users.read; creating, renaming, deleting and changing members groups.manage.

type Kind = 'members' | 'rename' | 'delete';

function CreateGroupForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const creating = useAction();
  const error = creating.error;
  const create = () =>
    void creating.run(
      () => createGroup(name.trim()),
      () => {
        setName('');
        onCreated();
      },
    );
  return (
    <InlineCreateForm
      label={t('groupsPage.create')}
      onSubmit={create}
      busy={creating.busy}
      canCreate={name.trim() !== ''}
      alert={error && !fieldError(error, 'name') ? <ProblemAlert error={error} /> : null}
    >
      <TextInput
        label={t('groupsPage.newName')}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        error={fieldError(error, 'name')}
        maxLength={100}
        style={{ flex: 1, minWidth: 240 }}
      />
    </InlineCreateForm>
  );
}

function GroupDialog({ kind, item, ...props }: DialogProps & { kind: Kind; item: Group }) {
  if (kind === 'rename')
    return <RenameGroupForm group={item} onClose={props.onClose} onDone={props.onDone} />;
  if (kind === 'delete')
    return <DeleteGroupForm group={item} onClose={props.onClose} onDone={props.onDone} />;
  return <MembersForm group={item} {...props} />;
}

const groups: Resource<Group, Kind> = {
  ns: 'groupsPage',
  managePermission: 'groups.manage',
  list: async () => (await listGroups()).items,
  CreateForm: CreateGroupForm,
  column: { key: 'members', cell: (group, format) => format.number(group.memberCount) },
  actions: [
    // Everyone who sees groups may look at the members; changing them is in the dialog.
    { kind: 'members', icon: <IconUsers size={14} aria-hidden />, managing: false },
    { kind: 'rename', icon: <IconPencil size={14} aria-hidden />, managing: true },
    { kind: 'delete', icon: <IconTrash size={14} aria-hidden />, danger: true, managing: true },
  ],
  dialogSize: (kind) => (kind === 'members' ? 'lg' : 'md'),
  Dialog: GroupDialog,
};

export const GroupsPage = () => <ResourcePage resource={groups} />;
