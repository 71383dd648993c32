import { useState } from 'react';
import { Badge, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { listOutbox, outboxStatuses, type OutboxMail, type OutboxStatus } from '../../api/outbox.ts';
import { CursorPagedTable, useCursorPages } from '../../components/CursorPagedTable.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { When } from '../../components/When.tsx';
import { useFormat } from '../../i18n/format.ts';

// The mail outbox, newest first: what was queued, sent, logged or given up, and why.

const statusColors: Record<OutboxStatus, string> = {
  pending: 'blue',
  sent: 'green',
  logged: 'gray',
  failed: 'red',
};

export function OutboxPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [status, setStatus] = useState<OutboxStatus | null>(null);
  // A new filter starts again at the newest mail; "more" appends the next page.
  const pages = useCursorPages<OutboxMail>(status ?? '', (cursor, signal) =>
    listOutbox({ status, cursor, limit: 50 }, signal),
  );

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
      <ErrorAlert error={pages.error} />
      <CursorPagedTable
        pages={pages}
        caption={t('outbox.caption')}
        columns={[
          t('outbox.columns.recipient'),
          t('outbox.columns.subject'),
          t('outbox.columns.status'),
          t('outbox.columns.attempts'),
          t('outbox.columns.lastError'),
          t('outbox.columns.created'),
          t('outbox.columns.sentOrNext'),
        ]}
        striped
        empty={t('outbox.empty')}
        moreLabel={t('outbox.more')}
        row={(m) => (
          <Table.Tr key={m.id}>
            <Table.Th scope="row" fw={500}>
              <Text size="sm">{m.recipient}</Text>
              <Text size="xs" c="dimmed">
                {t(`outbox.kinds.${m.kind}`, { defaultValue: m.kind })}
              </Text>
            </Table.Th>
            <Table.Td>
              {/* A sign-in code's mail is never shown (the server sends "[hidden]"); say so in words. */}
              {m.kind === 'login_code' ? (
                <Text size="sm" fs="italic">
                  {t('words.hiddenMailText')}
                </Text>
              ) : (
                <Text size="sm">{m.subject}</Text>
              )}
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
        )}
      />
    </Stack>
  );
}
