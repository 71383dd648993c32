import { useCallback, useEffect, useState } from 'react';
import {
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Paper,
  Stack,
  Switch,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconPlayerStop } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { endImpersonation, listImpersonations, type ImpersonationRecord } from '../../api/impersonations.ts';
import { ConfirmActions } from '../../components/ConfirmActions.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { When } from '../../components/When.tsx';
import { useFormat } from '../../i18n/format.ts';
import { FourEyesRequests } from './FourEyesRequests.tsx';

// Running impersonations, and on request the ended ones with how they ended. "End now"
// revokes one on the server (R-IMP-10): the acting browser's next request is signed out of it.

export function ImpersonationsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [showEnded, setShowEnded] = useState(false);
  const [items, setItems] = useState<ImpersonationRecord[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [now, setNow] = useState(() => Date.now());
  const [ending, setEnding] = useState<ImpersonationRecord | null>(null);
  const [busy, setBusy] = useState(false);
  const [endError, setEndError] = useState<unknown>(null);
  const [reloads, setReloads] = useState(0);
  const [notice, setNotice] = useState('');

  useEffect(() => {
    const controller = new AbortController();
    listImpersonations(!showEnded, controller.signal).then(
      (answer) => {
        setItems(answer.items);
        setError(null);
      },
      (e: unknown) => {
        if (!controller.signal.aborted) setError(e);
      },
    );
    return () => controller.abort();
  }, [showEnded, reloads]);

  // The remaining time counts down every second.
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);

  const confirmEnd = useCallback(async () => {
    if (!ending) return;
    setBusy(true);
    setEndError(null);
    try {
      await endImpersonation(ending.id);
      setNotice(t('impersonations.endedNotice', { subject: ending.subject.displayName }));
      setEnding(null);
      setReloads((n) => n + 1);
    } catch (e) {
      setEndError(e);
    } finally {
      setBusy(false);
    }
  }, [ending, t]);

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {t('impersonations.title')}
        </Title>
        <Switch
          label={t('impersonations.showEnded')}
          checked={showEnded}
          onChange={(e) => setShowEnded(e.currentTarget.checked)}
        />
      </Group>
      <Text c="dimmed" size="sm">
        {t('impersonations.intro')}
      </Text>
      <Text size="sm" role="status" aria-live="polite">
        {notice}
      </Text>
      <ErrorAlert error={error} />
      <Paper withBorder>
        <Table.ScrollContainer minWidth={900}>
          <Table striped verticalSpacing="sm">
            <VisuallyHidden component="caption">{t('impersonations.caption')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('impersonations.columns.subject')}</Table.Th>
                <Table.Th scope="col">{t('impersonations.columns.actor')}</Table.Th>
                <Table.Th scope="col">{t('impersonations.columns.reason')}</Table.Th>
                <Table.Th scope="col">{t('impersonations.columns.started')}</Table.Th>
                <Table.Th scope="col">{t('impersonations.columns.expires')}</Table.Th>
                <Table.Th scope="col">{t('impersonations.columns.opened')}</Table.Th>
                <Table.Th scope="col">{t('impersonations.columns.state')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('impersonations.columns.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items?.map((i) => {
                const expires = Date.parse(i.expiresAt);
                const running = i.endedAt === null && expires > now;
                return (
                  <Table.Tr key={i.id}>
                    <Table.Th scope="row" fw={600}>
                      {i.subject.displayName}
                    </Table.Th>
                    <Table.Td>{i.actor.displayName}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{i.reason || t('impersonations.noReason')}</Text>
                      {i.termsAcceptedOnBehalf && (
                        <Badge size="xs" variant="light" c="dark.7">
                          {t('impersonations.termsOnBehalf')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <When iso={i.startedAt} />
                    </Table.Td>
                    <Table.Td>
                      <When iso={i.expiresAt} />
                      {running && (
                        <Text size="xs" c="dimmed">
                          {t('impersonations.remaining', { remaining: format.duration(expires - now) })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {i.openedAt ? (
                        <When iso={i.openedAt} />
                      ) : (
                        <Text size="sm">{t('impersonations.notOpened')}</Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {i.endedAt ? (
                        <Stack gap={2}>
                          <Badge color="gray" variant="light" c="dark.7">
                            {t('impersonations.ended')}
                          </Badge>
                          <When iso={i.endedAt} />
                          {i.endReason && (
                            <Text size="xs">
                              {t(`impersonations.endReasons.${i.endReason}`, { defaultValue: i.endReason })}
                            </Text>
                          )}
                        </Stack>
                      ) : (
                        <Badge color={running ? 'green' : 'orange'} variant="light" c="dark.7">
                          {running ? t('impersonations.running') : t('impersonations.expiring')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {i.endedAt === null && (
                        <Button
                          size="xs"
                          color="red"
                          variant="light"
                          leftSection={<IconPlayerStop size={14} aria-hidden />}
                          aria-label={t('impersonations.endNowFor', { subject: i.subject.displayName })}
                          onClick={() => {
                            setEndError(null);
                            setEnding(i);
                          }}
                        >
                          {t('impersonations.endNow')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {!items && !error && (
          <Group justify="center" p="lg">
            <Loader role="status" aria-label={t('common.loading')} />
          </Group>
        )}
        {items?.length === 0 && (
          <Text p="lg" c="dimmed" ta="center">
            {showEnded ? t('impersonations.emptyAll') : t('impersonations.empty')}
          </Text>
        )}
      </Paper>
      <FourEyesRequests />
      <Modal
        opened={ending !== null}
        onClose={() => setEnding(null)}
        title={t('impersonations.confirmTitle')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {ending && (
          <ConfirmActions
            alert={<ErrorAlert error={endError} />}
            confirmLabel={t('impersonations.confirmEnd')}
            onConfirm={() => void confirmEnd()}
            onCancel={() => setEnding(null)}
            busy={busy}
          >
            <Text>
              {t('impersonations.confirmBody', {
                actor: ending.actor.displayName,
                subject: ending.subject.displayName,
              })}
            </Text>
          </ConfirmActions>
        )}
      </Modal>
    </Stack>
  );
}
