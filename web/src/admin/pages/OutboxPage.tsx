import { useEffect, useState } from 'react';
import {
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { listOutbox, outboxStatuses, type OutboxMail, type OutboxStatus } from '../../api/outbox.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../i18n/format.ts';

// The mail outbox, newest first: what was queued, sent, logged or given up, and why.

const statusColors: Record<OutboxStatus, string> = {
  pending: 'blue',
  sent: 'green',
  logged: 'gray',
  failed: 'red',
};

function When({ iso }: { iso: string | null }) {
  const format = useFormat();
  if (!iso) return <Text size="sm">–</Text>;
  return (
    <Tooltip label={format.exact(iso)} openDelay={300}>
      <Text size="sm" component="time" dateTime={iso} tabIndex={0}>
        {format.dateTime(iso)}
      </Text>
    </Tooltip>
  );
}

export function OutboxPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [status, setStatus] = useState<OutboxStatus | null>(null);
  const [cursor, setCursor] = useState<{ status: OutboxStatus | null; value: string | null }>({
    status: null,
    value: null,
  });
  // A new filter starts again at the newest mail; "more" appends the next page.
  const activeCursor = cursor.status === status ? cursor.value : null;
  const requestKey = `${status ?? ''}\n${activeCursor ?? ''}`;
  const [answer, setAnswer] = useState<{
    key: string;
    items: OutboxMail[] | null;
    nextCursor: string | null;
    error: unknown;
  }>({ key: '', items: null, nextCursor: null, error: null });

  useEffect(() => {
    const controller = new AbortController();
    listOutbox({ status, cursor: activeCursor, limit: 50 }, controller.signal).then(
      (page) =>
        setAnswer((a) => ({
          key: requestKey,
          items: activeCursor && a.items ? [...a.items, ...page.items] : page.items,
          nextCursor: page.nextCursor,
          error: null,
        })),
      (e: unknown) => {
        if (!controller.signal.aborted) setAnswer((a) => ({ ...a, key: requestKey, error: e }));
      },
    );
    return () => controller.abort();
  }, [requestKey, status, activeCursor]);
  const loading = answer.key !== requestKey;
  const items = !loading || activeCursor ? answer.items : null;
  const error = answer.key === requestKey ? answer.error : null;
  const nextCursor = loading ? null : answer.nextCursor;

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('outbox.title')}
      </Title>
      <Group align="flex-end">
        <Select
          label={t('outbox.filterStatus')}
          data={[
            { value: 'all', label: t('outbox.allStatuses') },
            ...outboxStatuses.map((s) => ({ value: s, label: t(`outbox.statuses.${s}`) })),
          ]}
          value={status ?? 'all'}
          onChange={(v) => setStatus(v && v !== 'all' ? v : null)}
          allowDeselect={false}
          w={220}
        />
      </Group>
      <ErrorAlert error={error} />
      <Paper withBorder>
        <Table.ScrollContainer minWidth={960}>
          <Table striped verticalSpacing="sm" aria-busy={loading}>
            <VisuallyHidden component="caption">{t('outbox.caption')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('outbox.columns.recipient')}</Table.Th>
                <Table.Th scope="col">{t('outbox.columns.subject')}</Table.Th>
                <Table.Th scope="col">{t('outbox.columns.status')}</Table.Th>
                <Table.Th scope="col">{t('outbox.columns.attempts')}</Table.Th>
                <Table.Th scope="col">{t('outbox.columns.lastError')}</Table.Th>
                <Table.Th scope="col">{t('outbox.columns.created')}</Table.Th>
                <Table.Th scope="col">{t('outbox.columns.sentOrNext')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items?.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Th scope="row" fw={500}>
                    <Text size="sm">{m.recipient}</Text>
                    <Text size="xs" c="dimmed">
                      {t(`outbox.kinds.${m.kind}`, { defaultValue: m.kind })}
                    </Text>
                  </Table.Th>
                  <Table.Td>
                    <Text size="sm">{m.subject}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={statusColors[m.status]} variant="light" c="dark.7">
                      {t(`outbox.statuses.${m.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{format.number(m.attempts)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ wordBreak: 'break-word' }}>
                      {m.lastError ?? '–'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <When iso={m.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    {m.status === 'pending' ? (
                      <>
                        <Text size="xs" c="dimmed">
                          {t('outbox.nextAttempt')}
                        </Text>
                        <When iso={m.nextAttemptAt} />
                      </>
                    ) : (
                      <When iso={m.sentAt} />
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {loading && !items && (
          <Group justify="center" p="lg">
            <Loader aria-label={t('common.loading')} />
          </Group>
        )}
        {items?.length === 0 && (
          <Text p="lg" c="dimmed" ta="center">
            {t('outbox.empty')}
          </Text>
        )}
      </Paper>
      {nextCursor && (
        <Group justify="center">
          <Button
            variant="default"
            loading={loading}
            onClick={() => setCursor({ status, value: nextCursor })}
          >
            {t('outbox.more')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
