import { useState } from 'react';
import { Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { createDomain, listDomains, type Domain } from '../../api/orgs.ts';
import { InlineCreateForm } from '../../components/InlineCreateForm.tsx';
import { ListTable, RowAction } from '../../components/ListTable.tsx';
import { useAction, useLoad } from '../../components/useLoad.ts';
import { useFormat } from '../../i18n/format.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { hasPermission } from '../../session/permissions.ts';
import { DeleteDomainForm, EditDomainForm } from './domains/DomainDialogs.tsx';
import { ProblemAlert, fieldError } from './orgs/shared.tsx';

// Domains (R-IMP-02): sub-tenants with their own users and, optionally, their own host name, on
// which an impersonation in that domain runs. Reading needs users.read; changes domains.manage.
// A domain users still belong to cannot be deleted (409 domain_in_use), and the page says why.

type Dialog = { kind: 'edit' | 'delete'; domain: Domain } | null;

export function DomainsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { session } = useSession();
  const list = useLoad(async () => (await listDomains()).items);
  const [name, setName] = useState('');
  const [hostName, setHostName] = useState('');
  const creating = useAction();
  const [dialog, setDialog] = useState<Dialog>(null);

  if (!session) return null;
  const mayManage = hasPermission(session, 'domains.manage');

  const create = () =>
    void creating.run(
      () => createDomain(name.trim(), hostName.trim() || null),
      () => {
        setName('');
        setHostName('');
        list.reload();
      },
    );
  const close = () => setDialog(null);
  const closeAndLoad = () => {
    setDialog(null);
    list.reload();
  };
  const createError = creating.error;
  const createFieldError = fieldError(createError, 'name') ?? fieldError(createError, 'hostName');

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('domainsPage.title')}
      </Title>
      <Text c="dimmed" size="sm">
        {t('domainsPage.intro')}
      </Text>
      {mayManage && (
        <InlineCreateForm
          label={t('domainsPage.create')}
          onSubmit={create}
          busy={creating.busy}
          canCreate={name.trim() !== ''}
          alert={createError && !createFieldError ? <ProblemAlert error={createError} /> : null}
        >
          <TextInput
            label={t('domainsPage.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldError(createError, 'name')}
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
            error={fieldError(createError, 'hostName')}
            maxLength={253}
            style={{ flex: 1, minWidth: 200 }}
          />
        </InlineCreateForm>
      )}
      <ProblemAlert error={list.error} />
      <ListTable
        caption={t('domainsPage.caption')}
        columns={[
          t('domainsPage.columns.name'),
          t('domainsPage.columns.hostName'),
          t('domainsPage.columns.created'),
        ]}
        actionsLabel={t('domainsPage.columns.actions')}
        items={list.data}
        error={list.error}
        empty={t('domainsPage.empty')}
        row={(domain) => (
          <Table.Tr key={domain.id}>
            <Table.Th scope="row">
              <Text fw={600} size="sm">
                {domain.name}
              </Text>
            </Table.Th>
            <Table.Td>
              <Text size="sm">{domain.hostName ?? '–'}</Text>
            </Table.Td>
            <Table.Td>
              <Text
                size="sm"
                component="time"
                dateTime={domain.createdAt}
                title={format.exact(domain.createdAt)}
              >
                {format.date(domain.createdAt)}
              </Text>
            </Table.Td>
            <Table.Td>
              {mayManage && (
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <RowAction
                    label={t('domainsPage.edit')}
                    name={domain.name}
                    icon={<IconPencil size={14} aria-hidden />}
                    onClick={() => setDialog({ kind: 'edit', domain })}
                  />
                  <RowAction
                    label={t('domainsPage.delete')}
                    name={domain.name}
                    icon={<IconTrash size={14} aria-hidden />}
                    danger
                    onClick={() => setDialog({ kind: 'delete', domain })}
                  />
                </Group>
              )}
            </Table.Td>
          </Table.Tr>
        )}
      />
      <Modal
        opened={dialog !== null}
        onClose={close}
        title={dialog ? t(`domainsPage.${dialog.kind}Title`, { name: dialog.domain.name }) : ''}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {dialog?.kind === 'edit' && (
          <EditDomainForm domain={dialog.domain} onClose={close} onDone={closeAndLoad} />
        )}
        {dialog?.kind === 'delete' && (
          <DeleteDomainForm domain={dialog.domain} onClose={close} onDone={closeAndLoad} />
        )}
      </Modal>
    </Stack>
  );
}
