import { useState } from 'react';
import { Badge, Button, Code, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { IconKey, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { listApps, type PlatformApp } from '../../api/apps.ts';
import { ListTable, RowAction } from '../../components/ListTable.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useFormat } from '../../i18n/format.ts';
import {
  AppForm,
  CredentialsShown,
  DeleteAppForm,
  RotateSecretForm,
  type Credentials,
} from './apps/AppDialogs.tsx';
import { ProblemAlert } from './orgs/shared.tsx';

// Apps (issue 9, `apps.manage`): the platform's apps that sign in through Behalf as their
// OpenID Provider (docs/apps.md). Register, change, delete, and give a confidential app a new
// secret. The server answers a secret once (after registering and after a new one); this page
// shows it in a dialog with a copy button and forgets it when the dialog closes.

type Dialog =
  | { kind: 'create' }
  | { kind: 'edit' | 'delete' | 'rotate'; app: PlatformApp }
  | { kind: 'credentials'; credentials: Credentials }
  | null;

export function AppsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const list = useLoad(async () => (await listApps()).items);
  const [dialog, setDialog] = useState<Dialog>(null);

  const close = () => setDialog(null);
  const closeAndLoad = () => {
    setDialog(null);
    list.reload();
  };
  const showCredentials = (credentials: Credentials) => {
    setDialog({ kind: 'credentials', credentials });
    list.reload();
  };

  const title = (() => {
    if (!dialog) return '';
    if (dialog.kind === 'create') return t('appsPage.createTitle');
    if (dialog.kind === 'credentials')
      return t('appsPage.credentialsTitle', { name: dialog.credentials.name });
    return t(`appsPage.${dialog.kind}Title`, { name: dialog.app.name });
  })();

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Title order={1} size="h2">
          {t('appsPage.title')}
        </Title>
        <Button
          leftSection={<IconPlus size={16} aria-hidden />}
          onClick={() => setDialog({ kind: 'create' })}
        >
          {t('appsPage.create')}
        </Button>
      </Group>
      <Text c="dimmed" size="sm">
        {t('appsPage.intro')}
      </Text>
      <ProblemAlert error={list.error} />
      <ListTable
        caption={t('appsPage.caption')}
        columns={[
          t('appsPage.columns.name'),
          t('appsPage.columns.type'),
          t('appsPage.columns.clientId'),
          t('appsPage.columns.created'),
        ]}
        actionsLabel={t('appsPage.columns.actions')}
        items={list.data}
        error={list.error}
        empty={t('appsPage.empty')}
        minWidth={860}
        row={(app) => (
          <Table.Tr key={app.id}>
            <Table.Th scope="row">
              <Group gap="xs">
                <Text fw={600} size="sm">
                  {app.name}
                </Text>
                {app.firstParty && (
                  <Badge size="sm" variant="light">
                    {t('appsPage.firstPartyBadge')}
                  </Badge>
                )}
              </Group>
            </Table.Th>
            <Table.Td>
              <Text size="sm">{t(`appsPage.types.${app.type}`)}</Text>
            </Table.Td>
            <Table.Td>
              <Code fz="xs">{app.clientId}</Code>
            </Table.Td>
            <Table.Td>
              <Text size="sm" component="time" dateTime={app.createdAt} title={format.exact(app.createdAt)}>
                {format.date(app.createdAt)}
              </Text>
            </Table.Td>
            <Table.Td>
              <Group gap="xs" justify="flex-end" wrap="nowrap">
                <RowAction
                  label={t('appsPage.edit')}
                  name={app.name}
                  icon={<IconPencil size={14} aria-hidden />}
                  onClick={() => setDialog({ kind: 'edit', app })}
                />
                {app.type === 'confidential' && (
                  <RowAction
                    label={t('appsPage.rotate')}
                    name={app.name}
                    icon={<IconKey size={14} aria-hidden />}
                    onClick={() => setDialog({ kind: 'rotate', app })}
                  />
                )}
                <RowAction
                  label={t('appsPage.delete')}
                  name={app.name}
                  icon={<IconTrash size={14} aria-hidden />}
                  danger
                  onClick={() => setDialog({ kind: 'delete', app })}
                />
              </Group>
            </Table.Td>
          </Table.Tr>
        )}
      />
      <Modal
        opened={dialog !== null}
        onClose={close}
        title={title}
        size={dialog?.kind === 'create' || dialog?.kind === 'edit' ? 'lg' : 'md'}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {(dialog?.kind === 'create' || dialog?.kind === 'edit') && (
          <AppForm
            app={dialog.kind === 'edit' ? dialog.app : null}
            onClose={close}
            onCreated={showCredentials}
            onSaved={closeAndLoad}
          />
        )}
        {dialog?.kind === 'delete' && (
          <DeleteAppForm app={dialog.app} onClose={close} onDone={closeAndLoad} />
        )}
        {dialog?.kind === 'rotate' && (
          <RotateSecretForm app={dialog.app} onClose={close} onRotated={showCredentials} />
        )}
        {dialog?.kind === 'credentials' && (
          <CredentialsShown credentials={dialog.credentials} onClose={close} />
        )}
      </Modal>
    </Stack>
  );
}
