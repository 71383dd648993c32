import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { IconCircleCheck, IconExclamationCircle, IconLink } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  linkStartUrl,
  listOwnLinks,
  removeOwnLink,
  serviceName,
  type LinkableService,
  type LinkedAccount,
} from '../../api/linked-accounts.ts';
import { ConfirmActions } from '../../components/ConfirmActions.tsx';
import { useFormat } from '../../i18n/format.ts';
import { BlockedNotice, ProfileError, Section, useBlocked } from './shared.tsx';

/**
 * Linked accounts (R-ADM-16): the user's accounts at login services, a "link" button per service
 * they may link (a plain link: the browser signs in at the service and comes back here with
 * `?linkedAccount=linked` or `?linkedAccountError=<code>`), and removal after a confirmation.
 * While an administrator acts as the user, the list stays readable and nothing changes (R-IMP-04).
 */
export function LinkedAccountsSection() {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const blocked = useBlocked('linked_accounts.change');
  const [params, setParams] = useSearchParams();
  const [links, setLinks] = useState<LinkedAccount[] | null>(null);
  const [linkable, setLinkable] = useState<LinkableService[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [removing, setRemoving] = useState<LinkedAccount | null>(null);
  const [removeError, setRemoveError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const answer = await listOwnLinks();
    setLinks(answer.items);
    setLinkable(answer.linkable);
  }, []);
  useEffect(() => {
    listOwnLinks().then((answer) => {
      setLinks(answer.items);
      setLinkable(answer.linkable);
    }, setError);
  }, []);

  const outcome = params.get('linkedAccount');
  // Only a code's shape is looked up (the parameter comes from the address bar).
  const rawError = params.get('linkedAccountError');
  const outcomeError = rawError && /^[a-z_]{1,64}$/.test(rawError) ? rawError : rawError ? 'unknown' : null;
  const dismissOutcome = () => {
    const next = new URLSearchParams(params);
    next.delete('linkedAccount');
    next.delete('linkedAccountError');
    setParams(next, { replace: true });
  };

  const confirmRemove = async () => {
    if (!removing) return;
    setBusy(true);
    try {
      await removeOwnLink(removing.id);
      setRemoving(null);
      setRemoveError(null);
      await load();
    } catch (e) {
      setRemoveError(e);
    } finally {
      setBusy(false);
    }
  };
  const name = (l: LinkedAccount) => serviceName(l, i18n.language);

  return (
    <Section
      id="linked-accounts"
      title={t('profile.linkedAccounts.title')}
      description={t('profile.linkedAccounts.description')}
    >
      <Stack gap="sm">
        {outcome === 'linked' && (
          <Alert
            color="green"
            icon={<IconCircleCheck aria-hidden />}
            withCloseButton
            closeButtonLabel={t('common.close')}
            onClose={dismissOutcome}
            role="status"
          >
            {t('profile.linkedAccounts.linked')}
          </Alert>
        )}
        {outcomeError && (
          <Alert
            color="red"
            icon={<IconExclamationCircle aria-hidden />}
            withCloseButton
            closeButtonLabel={t('common.close')}
            onClose={dismissOutcome}
            role="alert"
          >
            {t(`errors.codes.${outcomeError}`, { defaultValue: t('profile.linkedAccounts.linkFailed') })}
          </Alert>
        )}
        {!links && !error && <Loader size="sm" role="status" aria-label={t('common.loading')} />}
        {links && links.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('profile.linkedAccounts.empty')}
          </Text>
        )}
        {links && links.length > 0 && (
          <Table.ScrollContainer minWidth={640}>
            <Table aria-label={t('profile.linkedAccounts.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('profile.linkedAccounts.service')}</Table.Th>
                  <Table.Th>{t('profile.linkedAccounts.identifier')}</Table.Th>
                  <Table.Th>{t('profile.linkedAccounts.email')}</Table.Th>
                  <Table.Th>{t('profile.linkedAccounts.linkedAt')}</Table.Th>
                  <Table.Th>{t('profile.linkedAccounts.lastUsed')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('profile.linkedAccounts.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {links.map((l) => (
                  <Table.Tr key={l.id}>
                    <Table.Td>
                      <Group gap="xs">
                        <Text size="sm">{name(l)}</Text>
                        {!l.usableForSignIn && (
                          <Badge variant="light" color="gray" c="dark.7">
                            {t('profile.linkedAccounts.notOnSignIn')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {l.subject}
                      </Text>
                    </Table.Td>
                    <Table.Td>{l.email ?? '–'}</Table.Td>
                    <Table.Td title={format.exact(l.linkedAt)}>{format.dateTime(l.linkedAt)}</Table.Td>
                    <Table.Td title={l.lastUsedAt ? format.exact(l.lastUsedAt) : undefined}>
                      {l.lastUsedAt ? format.dateTime(l.lastUsedAt) : t('profile.linkedAccounts.never')}
                    </Table.Td>
                    <Table.Td>
                      {!blocked && (
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          aria-label={t('profile.linkedAccounts.removeLabel', { service: name(l) })}
                          onClick={() => {
                            setRemoveError(null);
                            setRemoving(l);
                          }}
                        >
                          {t('profile.linkedAccounts.remove')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {blocked && <BlockedNotice />}
        {!blocked && linkable.length > 0 && (
          <Group gap="xs">
            {linkable.map((s) => (
              <Button
                key={s.id}
                component="a"
                href={linkStartUrl(s.id)}
                variant="default"
                leftSection={<IconLink size={16} aria-hidden />}
              >
                {t('profile.linkedAccounts.linkWith', {
                  service: serviceName(
                    { serviceName: s.displayName, serviceNameDe: s.displayNameDe },
                    i18n.language,
                  ),
                })}
              </Button>
            ))}
          </Group>
        )}
        <ProfileError error={error} />
      </Stack>
      <Modal
        opened={removing !== null}
        onClose={() => setRemoving(null)}
        title={t('profile.linkedAccounts.confirmTitle')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {removing && (
          <ConfirmActions
            alert={<ProfileError error={removeError} />}
            confirmLabel={t('profile.linkedAccounts.remove')}
            onConfirm={() => void confirmRemove()}
            onCancel={() => setRemoving(null)}
            busy={busy}
          >
            <Text>
              {t('profile.linkedAccounts.confirmBody', {
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
