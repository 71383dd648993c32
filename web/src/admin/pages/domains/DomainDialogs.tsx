import { useState } from 'react';
import { Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { deleteDomain, getDomain, updateDomain, type Domain } from '../../../api/orgs.ts';
import { ConfirmActions } from '../../../components/ConfirmActions.tsx';
import { EditForm } from '../../../components/EditForm.tsx';
import { useAction } from '../../../components/useLoad.ts';
import { useVersion } from '../../../components/useVersion.ts';
import { ProblemAlert, fieldError } from '../orgs/shared.tsx';

// The domain page's dialogs: change name and host name (If-Match, with "reload" after a 412
// that keeps what was typed), and delete.

interface FormProps {
  domain: Domain;
  onClose: () => void;
  onDone: () => void;
}

export function EditDomainForm({ domain, onClose, onDone }: FormProps) {
  const { t } = useTranslation();
  const [name, setName] = useState(domain.name);
  const [hostName, setHostName] = useState(domain.hostName ?? '');
  const version = useVersion(() => getDomain(domain.id), domain.id);
  const saving = useAction();
  const error = saving.error ?? version.error;
  const save = () =>
    void saving.run(async () => {
      version.setError(null);
      await updateDomain(domain.id, { name: name.trim(), hostName: hostName.trim() || null }, version.etag);
    }, onDone);
  // The fresh version's ETag; what was typed stays. A failed read shows its own error instead.
  const reload = () => void version.reload().then(() => saving.setError(null));
  const atField = fieldError(error, 'name') ?? fieldError(error, 'hostName');
  return (
    <EditForm
      onSubmit={save}
      onCancel={onClose}
      busy={saving.busy}
      canSave={name.trim() !== ''}
      saveLabel={t('orgs.save')}
      alert={!atField && <ProblemAlert error={error} onReload={reload} />}
    >
      <TextInput
        label={t('domainsPage.name')}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        error={fieldError(error, 'name')}
        maxLength={100}
        data-autofocus
      />
      <TextInput
        label={t('domainsPage.hostName')}
        description={t('domainsPage.hostNameHint')}
        placeholder="login.example.com"
        value={hostName}
        onChange={(e) => setHostName(e.currentTarget.value)}
        error={fieldError(error, 'hostName')}
        maxLength={253}
      />
    </EditForm>
  );
}

export function DeleteDomainForm({ domain, onClose, onDone }: FormProps) {
  const { t } = useTranslation();
  const removing = useAction();
  return (
    <ConfirmActions
      alert={<ProblemAlert error={removing.error} />}
      confirmLabel={t('domainsPage.deleteConfirm')}
      onConfirm={() => void removing.run(() => deleteDomain(domain.id, null), onDone)}
      onCancel={onClose}
      busy={removing.busy}
      cancelDisabledWhileBusy
    >
      <Text size="sm">{t('domainsPage.deleteExplain', { name: domain.name })}</Text>
    </ConfirmActions>
  );
}
