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
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  createDomain,
  deleteDomain,
  getDomain,
  listDomains,
  updateDomain,
  type Domain,
} from '../../api/orgs.ts';
import { useFormat } from '../../i18n/format.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { hasPermission } from '../../session/permissions.ts';
import { ProblemAlert, fieldError } from './orgs/shared.tsx';

// Domains (R-IMP-02): sub-tenants with their own users and, optionally, their own host name, on
// which an impersonation in that domain runs. Reading needs users.read; changes domains.manage.
// A domain users still belong to cannot be deleted (409 domain_in_use), and the page says why.

type Dialog = { kind: 'edit' | 'delete'; domain: Domain } | null;

export function DomainsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { session } = useSession();
  const [items, setItems] = useState<Domain[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [hostName, setHostName] = useState('');
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<Dialog>(null);

  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    let live = true;
    listDomains().then(
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
  const mayManage = hasPermission(session, 'domains.manage');

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setCreating(true);
    setCreateError(null);
    try {
      await createDomain(name.trim(), hostName.trim() || null);
      setName('');
      setHostName('');
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
        <Paper withBorder p="md">
          <form onSubmit={(e) => void create(e)} noValidate>
            <Group align="flex-start">
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
              <Button
                type="submit"
                mt={25}
                leftSection={<IconPlus size={16} aria-hidden />}
                disabled={name.trim() === ''}
                loading={creating}
              >
                {t('domainsPage.create')}
              </Button>
            </Group>
            {createError && !createFieldError ? (
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
            <VisuallyHidden component="caption">{t('domainsPage.caption')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('domainsPage.columns.name')}</Table.Th>
                <Table.Th scope="col">{t('domainsPage.columns.hostName')}</Table.Th>
                <Table.Th scope="col">{t('domainsPage.columns.created')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('domainsPage.columns.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items?.map((domain) => (
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
                        <Button
                          size="xs"
                          variant="light"
                          leftSection={<IconPencil size={14} aria-hidden />}
                          aria-label={`${t('domainsPage.edit')}: ${domain.name}`}
                          onClick={() => setDialog({ kind: 'edit', domain })}
                        >
                          {t('domainsPage.edit')}
                        </Button>
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          leftSection={<IconTrash size={14} aria-hidden />}
                          aria-label={`${t('domainsPage.delete')}: ${domain.name}`}
                          onClick={() => setDialog({ kind: 'delete', domain })}
                        >
                          {t('domainsPage.delete')}
                        </Button>
                      </Group>
                    )}
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
            {t('domainsPage.empty')}
          </Text>
        )}
      </Paper>
      <Modal
        opened={dialog !== null}
        onClose={close}
        title={dialog ? t(`domainsPage.${dialog.kind}Title`, { name: dialog.domain.name }) : ''}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {dialog?.kind === 'edit' && <EditForm domain={dialog.domain} onClose={close} onDone={closeAndLoad} />}
        {dialog?.kind === 'delete' && (
          <DeleteForm domain={dialog.domain} onClose={close} onDone={closeAndLoad} />
        )}
      </Modal>
    </Stack>
  );
}

interface FormProps {
  domain: Domain;
  onClose: () => void;
  onDone: () => void;
}

function EditForm({ domain, onClose, onDone }: FormProps) {
  const { t } = useTranslation();
  const [name, setName] = useState(domain.name);
  const [hostName, setHostName] = useState(domain.hostName ?? '');
  const [etag, setEtag] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fetchVersion = useCallback(async () => {
    try {
      setEtag((await getDomain(domain.id)).etag);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [domain.id]);
  useEffect(() => {
    let live = true;
    getDomain(domain.id).then(
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
  }, [domain.id]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await updateDomain(domain.id, { name: name.trim(), hostName: hostName.trim() || null }, etag);
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const atField = fieldError(error, 'name') ?? fieldError(error, 'hostName');
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack>
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
        {!atField && <ProblemAlert error={error} onReload={() => void fetchVersion()} />}
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

function DeleteForm({ domain, onClose, onDone }: FormProps) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteDomain(domain.id, null);
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Stack>
      <Text size="sm">{t('domainsPage.deleteExplain', { name: domain.name })}</Text>
      <ProblemAlert error={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose} disabled={busy} data-autofocus>
          {t('common.cancel')}
        </Button>
        <Button color="red" loading={busy} onClick={() => void remove()}>
          {t('domainsPage.deleteConfirm')}
        </Button>
      </Group>
    </Stack>
  );
}
