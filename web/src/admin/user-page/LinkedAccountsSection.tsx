import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Group, Modal, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconExclamationCircle, IconLink } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import {
  linkUserAccount,
  listUserLinks,
  removeUserLink,
  serviceName,
  type LinkableService,
  type LinkedAccount,
} from '../../api/linked-accounts.ts';
import { ConfirmActions } from '../../components/ConfirmActions.tsx';
import { useFormat } from '../../i18n/format.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { EditError, fieldError, Refused, refusal, Section, useUserPage } from './shared.tsx';

// R-ADM-11: a user's linked accounts on the admin user page: the list, removal, and the
// "link account" wizard (login service and the user's identifier there). No mail is sent to the
// user about either. Both change who can sign in as the user, hence `users.credentials`.

export function LinkedAccountsSection() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const { user, etag, reload } = useUserPage();
  const format = useFormat();
  const [links, setLinks] = useState<LinkedAccount[] | null>(null);
  const [services, setServices] = useState<LinkableService[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [wizard, setWizard] = useState(false);
  const [removing, setRemoving] = useState<LinkedAccount | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const answer = await listUserLinks(user.id);
    setLinks(answer.items);
    setServices(answer.services);
  }, [user.id]);
  useEffect(() => {
    listUserLinks(user.id).then((answer) => {
      setLinks(answer.items);
      setServices(answer.services);
    }, setError);
  }, [user.id]);
  if (!session) return null;
  const refused = refusal(session, user, 'credentials');
  const name = (l: LinkedAccount) => serviceName(l, i18n.language);

  const confirmRemove = async () => {
    if (!removing) return;
    setBusy(true);
    try {
      await removeUserLink(user.id, etag, removing.id);
      setRemoving(null);
      setError(null);
      await Promise.all([load(), reload()]);
    } catch (e) {
      setError(e);
      setRemoving(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={t('userPage.linkedAccounts.title')}>
      <Refused reason={refused} />
      {links && links.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('userPage.linkedAccounts.empty')}
        </Text>
      )}
      {links && links.length > 0 && (
        <Stack
          gap="xs"
          component="ul"
          p={0}
          m={0}
          style={{ listStyle: 'none' }}
          aria-label={t('userPage.linkedAccounts.list')}
        >
          {links.map((l) => (
            <Paper key={l.id} component="li" withBorder p="sm" aria-label={`${name(l)}: ${l.subject}`}>
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Stack gap={2}>
                  <Text fw={500}>
                    {name(l)}
                    {!l.usableForSignIn && (
                      <Text span size="sm" c="dimmed">
                        {' '}
                        ({t('userPage.linkedAccounts.notOnSignIn')})
                      </Text>
                    )}
                  </Text>
                  <Text size="sm">
                    {t('userPage.linkedAccounts.identifier')}:{' '}
                    <Text span ff="monospace">
                      {l.subject}
                    </Text>
                    {l.email && ` · ${l.email}`}
                  </Text>
                  <Text size="xs" c="dimmed">
                    <span title={format.exact(l.linkedAt)}>
                      {t('userPage.linkedAccounts.linkedAt', { when: format.dateTime(l.linkedAt) })}
                    </span>
                    {' · '}
                    {l.lastUsedAt
                      ? t('userPage.linkedAccounts.lastUsed', { when: format.dateTime(l.lastUsedAt) })
                      : t('userPage.linkedAccounts.neverUsed')}
                  </Text>
                </Stack>
                {!refused && (
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    aria-label={t('userPage.linkedAccounts.removeLabel', {
                      service: name(l),
                      identifier: l.subject,
                    })}
                    onClick={() => setRemoving(l)}
                  >
                    {t('userPage.linkedAccounts.remove')}
                  </Button>
                )}
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      <EditError
        error={error}
        onReload={() => void Promise.all([load(), reload()]).then(() => setError(null), setError)}
      />
      {!refused && (
        <Group>
          <Button
            variant="default"
            leftSection={<IconLink size={16} aria-hidden />}
            onClick={() => setWizard(true)}
            disabled={services.length === 0}
          >
            {t('userPage.linkedAccounts.link')}
          </Button>
          {services.length === 0 && links && (
            <Text size="sm" c="dimmed">
              {t('userPage.linkedAccounts.noServices')}
            </Text>
          )}
        </Group>
      )}
      <Modal
        opened={wizard}
        onClose={() => setWizard(false)}
        title={t('userPage.linkedAccounts.wizardTitle')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {wizard && (
          <LinkWizard
            services={services}
            onCancel={() => setWizard(false)}
            onLink={async (serviceId, subject) => {
              await linkUserAccount(user.id, etag, serviceId, subject);
              setWizard(false);
              setError(null);
              await Promise.all([load(), reload()]);
            }}
          />
        )}
      </Modal>
      <Modal
        opened={removing !== null}
        onClose={() => setRemoving(null)}
        title={t('userPage.linkedAccounts.confirmTitle')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {removing && (
          <ConfirmActions
            confirmLabel={t('userPage.linkedAccounts.remove')}
            onConfirm={() => void confirmRemove()}
            onCancel={() => setRemoving(null)}
            busy={busy}
          >
            <Text>
              {t('userPage.linkedAccounts.confirmBody', {
                name: user.displayName,
                service: name(removing),
                identifier: removing.subject,
              })}
            </Text>
          </ConfirmActions>
        )}
      </Modal>
    </Section>
  );
}

/** The wizard's form: which login service, and the user's identifier there. */
function LinkWizard({
  services,
  onLink,
  onCancel,
}: {
  services: LinkableService[];
  onLink: (serviceId: string, subject: string) => Promise<void>;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [serviceId, setServiceId] = useState<string | null>(services.length === 1 ? services[0]!.id : null);
  const [subject, setSubject] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!serviceId) return;
    setBusy(true);
    try {
      await onLink(serviceId, subject.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const holder =
    isApiError(error) && error.code === 'linked_account_taken'
      ? (error.problem.holder as { id: string; displayName: string } | undefined)
      : undefined;

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('userPage.linkedAccounts.wizardHint')}
        </Text>
        <Select
          label={t('userPage.linkedAccounts.service')}
          data={services.map((s) => ({
            value: s.id,
            label: serviceName({ serviceName: s.displayName, serviceNameDe: s.displayNameDe }, i18n.language),
          }))}
          value={serviceId}
          onChange={setServiceId}
          error={fieldError(error, 'serviceId')}
          required
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput
          label={t('userPage.linkedAccounts.subject')}
          description={t('userPage.linkedAccounts.subjectHint')}
          value={subject}
          onChange={(e) => setSubject(e.currentTarget.value)}
          error={fieldError(error, 'subject')}
          required
        />
        {holder ? (
          <Alert color="red" icon={<IconExclamationCircle aria-hidden />} role="alert">
            {t('userPage.linkedAccounts.takenBy')}{' '}
            <Anchor component={Link} to={`/admin/users/${encodeURIComponent(holder.id)}`}>
              {holder.displayName}
            </Anchor>
          </Alert>
        ) : (
          <EditError error={fieldError(error, 'serviceId') || fieldError(error, 'subject') ? null : error} />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy} disabled={!serviceId || subject.trim() === ''}>
            {t('userPage.linkedAccounts.link')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
