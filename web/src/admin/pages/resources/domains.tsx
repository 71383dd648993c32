import { useState } from 'react';
import { Text, TextInput } from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { createDomain, listDomains, type Domain } from '../../../api/orgs.ts';
import { InlineCreateForm } from '../../../components/InlineCreateForm.tsx';
import { useAction } from '../../../components/useLoad.ts';
import { DeleteDomainForm, EditDomainForm } from '../domains/DomainDialogs.tsx';
import { ProblemAlert, fieldError } from '../orgs/shared.tsx';
import { ResourcePage, type DialogProps, type Resource } from '../ResourcePage.tsx';

// Domains (R-IMP-02): sub-tenants with their own users and, optionally, their own host name, on
// which an impersonation in that domain runs. Reading needs users.read; changes domains.manage.
// A domain users still belong to cannot be deleted (409 domain_in_use), and the page says why.

type Kind = 'edit' | 'delete';

function CreateDomainForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [hostName, setHostName] = useState('');
  const creating = useAction();
  const error = creating.error;
  const create = () =>
    void creating.run(
      () => createDomain(name.trim(), hostName.trim() || null),
      () => {
        setName('');
        setHostName('');
        onCreated();
      },
    );
  const fieldProblem = fieldError(error, 'name') ?? fieldError(error, 'hostName');
  return (
    <InlineCreateForm
      label={t('domainsPage.create')}
      onSubmit={create}
      busy={creating.busy}
      canCreate={name.trim() !== ''}
      alert={error && !fieldProblem ? <ProblemAlert error={error} /> : null}
    >
      <TextInput
        label={t('domainsPage.name')}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        error={fieldError(error, 'name')}
        maxLength={100}
        style={{ flex: 1, minWidth: 200 }}
      />
      <TextInput
        label={t('domainsPage.hostName')}
        description={t('domainsPage.hostNameHint')}
        inputWrapperOrder={['label', 'input', 'description', 'error']}
        placeholder="login.example.com"
        value={hostName}
        onChange={(e) => setHostName(e.currentTarget.value)}
        error={fieldError(error, 'hostName')}
        maxLength={253}
        style={{ flex: 1, minWidth: 200 }}
      />
    </InlineCreateForm>
  );
}

function DomainDialog({ kind, item, onClose, onDone }: DialogProps & { kind: Kind; item: Domain }) {
  if (kind === 'edit') return <EditDomainForm domain={item} onClose={onClose} onDone={onDone} />;
  return <DeleteDomainForm domain={item} onClose={onClose} onDone={onDone} />;
}

const domains: Resource<Domain, Kind> = {
  ns: 'domainsPage',
  managePermission: 'domains.manage',
  list: async () => (await listDomains()).items,
  CreateForm: CreateDomainForm,
  column: { key: 'hostName', cell: (domain) => <Text size="sm">{domain.hostName ?? '–'}</Text> },
  actions: [
    { kind: 'edit', icon: <IconPencil size={14} aria-hidden />, managing: true },
    { kind: 'delete', icon: <IconTrash size={14} aria-hidden />, danger: true, managing: true },
  ],
  Dialog: DomainDialog,
};

export const DomainsPage = () => <ResourcePage resource={domains} />;
