import { useState } from 'react';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  CopyButton,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconCheck, IconCopy, IconPencil, IconPlugConnected, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { checkLoginService, listLoginServices, type LoginService } from '../../api/login-services.ts';
import { ListTable, RowAction } from '../../components/ListTable.tsx';
import { useAction, useLoad } from '../../components/useLoad.ts';
import { DeleteLoginServiceForm, LoginServiceForm } from './login-services/LoginServiceDialogs.tsx';
import { ProblemAlert } from './orgs/shared.tsx';

// Login services (issue 8, R-ADM-17; German "Login-Dienste"): the OpenID Connect providers
// users may sign in with. Needs settings.manage. The client secret is write-only: the page says
// it is set and offers to replace it. Each row shows the redirect URI to register at the provider.

type Dialog = { kind: 'create' } | { kind: 'edit' | 'delete'; service: LoginService } | null;

export function LoginServicesPage() {
  const { t } = useTranslation();
  const list = useLoad(async () => (await listLoginServices()).items);
  const [dialog, setDialog] = useState<Dialog>(null);
  const checking = useAction();
  const [checked, setChecked] = useState<string | null>(null);

  const close = () => setDialog(null);
  const closeAndLoad = () => {
    setDialog(null);
    list.reload();
  };
  const check = (service: LoginService) => {
    setChecked(null);
    void checking.run(
      () => checkLoginService(service.id),
      () => setChecked(service.displayName),
    );
  };

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">
            {t('loginServicesPage.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('loginServicesPage.intro')}
          </Text>
        </div>
        <Button
          leftSection={<IconPlus size={16} aria-hidden />}
          onClick={() => setDialog({ kind: 'create' })}
        >
          {t('loginServicesPage.create')}
        </Button>
      </Group>
      <ProblemAlert error={checking.error} />
      {checked && (
        <Alert color="green" role="status" withCloseButton onClose={() => setChecked(null)}>
          {t('loginServicesPage.checkOk', { name: checked })}
        </Alert>
      )}
      <ListTable
        caption={t('loginServicesPage.caption')}
        columns={[
          t('loginServicesPage.columns.name'),
          t('loginServicesPage.columns.issuer'),
          t('loginServicesPage.columns.switches'),
          t('loginServicesPage.columns.redirectUri'),
        ]}
        actionsLabel={t('loginServicesPage.columns.actions')}
        items={list.data}
        error={list.error}
        empty={t('loginServicesPage.empty')}
        minWidth={900}
        row={(service) => (
          <Table.Tr key={service.id}>
            <Table.Th scope="row">
              <Text fw={600} size="sm">
                {service.displayName}
              </Text>
              {service.displayNameDe && (
                <Text size="xs" c="dimmed" lang="de">
                  {service.displayNameDe}
                </Text>
              )}
            </Table.Th>
            <Table.Td>
              <Text size="sm" style={{ wordBreak: 'break-all' }}>
                {service.issuer}
              </Text>
            </Table.Td>
            <Table.Td>
              <Group gap={4}>
                <Badge variant="light" c="dark.7" color={service.showOnSignIn ? 'green' : 'gray'}>
                  {service.showOnSignIn
                    ? t('loginServicesPage.badges.shown')
                    : t('loginServicesPage.badges.hidden')}
                </Badge>
                {service.allowLinking && (
                  <Badge variant="light" c="dark.7">
                    {t('loginServicesPage.badges.linking')}
                  </Badge>
                )}
                {service.linkByVerifiedEmail && (
                  <Badge variant="light" c="dark.7" color="orange">
                    {t('loginServicesPage.badges.email')}
                  </Badge>
                )}
                {service.trustProviderMfa && (
                  <Badge variant="light" c="dark.7">
                    {t('loginServicesPage.badges.mfa')}
                  </Badge>
                )}
              </Group>
            </Table.Td>
            <Table.Td>
              <RedirectUri value={service.redirectUri} />
            </Table.Td>
            <Table.Td>
              <Group gap="xs" justify="flex-end" wrap="nowrap">
                <RowAction
                  label={t('loginServicesPage.check')}
                  name={service.displayName}
                  icon={<IconPlugConnected size={14} aria-hidden />}
                  disabled={checking.busy}
                  onClick={() => check(service)}
                />
                <RowAction
                  label={t('loginServicesPage.edit')}
                  name={service.displayName}
                  icon={<IconPencil size={14} aria-hidden />}
                  onClick={() => setDialog({ kind: 'edit', service })}
                />
                <RowAction
                  label={t('loginServicesPage.delete')}
                  name={service.displayName}
                  icon={<IconTrash size={14} aria-hidden />}
                  danger
                  onClick={() => setDialog({ kind: 'delete', service })}
                />
              </Group>
            </Table.Td>
          </Table.Tr>
        )}
      />
      <Modal
        opened={dialog !== null}
        onClose={close}
        size="lg"
        title={
          dialog === null
            ? ''
            : dialog.kind === 'create'
              ? t('loginServicesPage.createTitle')
              : t(`loginServicesPage.${dialog.kind}Title`, { name: dialog.service.displayName })
        }
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {dialog?.kind === 'create' && <LoginServiceForm onClose={close} onDone={closeAndLoad} />}
        {dialog?.kind === 'edit' && (
          <LoginServiceForm service={dialog.service} onClose={close} onDone={closeAndLoad} />
        )}
        {dialog?.kind === 'delete' && (
          <DeleteLoginServiceForm service={dialog.service} onClose={close} onDone={closeAndLoad} />
        )}
      </Modal>
    </Stack>
  );
}

/** The redirect URI to register at the provider, with a copy button. */
export function RedirectUri({ value }: { value: string }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
        {value}
      </Text>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('loginServicesPage.copied') : t('loginServicesPage.copy')} withArrow>
            <ActionIcon
              variant="subtle"
              color={copied ? 'teal' : 'gray'}
              onClick={copy}
              aria-label={t('loginServicesPage.copyRedirectUri')}
            >
              {copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}
