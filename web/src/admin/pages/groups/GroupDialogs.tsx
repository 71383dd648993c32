import { useState } from 'react';
import { Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { deleteGroup, getGroup, renameGroup, type Group as OrgGroup } from '../../../api/orgs.ts';
import { ConfirmActions } from '../../../components/ConfirmActions.tsx';
import { EditForm } from '../../../components/EditForm.tsx';
import { useAction } from '../../../components/useLoad.ts';
import { useVersion } from '../../../components/useVersion.ts';
import { ProblemAlert, fieldError } from '../orgs/shared.tsx';

// The group page's rename (If-Match, with "reload" after a 412 that keeps what was typed) and
// delete dialogs.

export interface GroupFormProps {
  group: OrgGroup;
  onClose: () => void;
  onDone: () => void;
}

export function RenameGroupForm({ group, onClose, onDone }: GroupFormProps) {
  const { t } = useTranslation();
  const [name, setName] = useState(group.name);
  const version = useVersion(() => getGroup(group.id), group.id);
  const saving = useAction();
  const error = saving.error ?? version.error;
  const save = () =>
    void saving.run(async () => {
      version.setError(null);
      await renameGroup(group.id, name.trim(), version.etag);
    }, onDone);
  // The fresh version's ETag; what was typed stays. A failed read shows its own error instead.
  const reload = () => void version.reload().then(() => saving.setError(null));
  return (
    <EditForm
      onSubmit={save}
      onCancel={onClose}
      busy={saving.busy}
      canSave={name.trim() !== ''}
      saveLabel={t('orgs.save')}
      alert={!fieldError(error, 'name') && <ProblemAlert error={error} onReload={reload} />}
    >
      <TextInput
        label={t('groupsPage.name')}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        error={fieldError(error, 'name')}
        maxLength={100}
        data-autofocus
      />
    </EditForm>
  );
}

export function DeleteGroupForm({ group, onClose, onDone }: GroupFormProps) {
  const { t } = useTranslation();
  const removing = useAction();
  return (
    <ConfirmActions
      alert={<ProblemAlert error={removing.error} />}
      confirmLabel={t('groupsPage.deleteConfirm')}
      onConfirm={() => void removing.run(() => deleteGroup(group.id, null), onDone)}
      onCancel={onClose}
      busy={removing.busy}
      cancelDisabledWhileBusy
    >
      <Text size="sm">{t('groupsPage.deleteExplain', { name: group.name, count: group.memberCount })}</Text>
    </ConfirmActions>
  );
}
