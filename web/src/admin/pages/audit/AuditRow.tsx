import { Fragment } from 'react';
import { Anchor, Button, Code, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '../../../api/audit.ts';
import { useFormat } from '../../../i18n/format.ts';
import { auditActionText, targetTypeText } from '../../../i18n/words.ts';

// One event of the audit trail: a row (who acted as whom, what, on what, in which
// impersonation, with links that filter by them) and, opened, its details.

const show = (value: unknown) => (value === undefined ? '–' : JSON.stringify(value));

export function AuditRow({
  event: e,
  expanded,
  onToggle,
  filterBy,
}: {
  event: AuditEvent;
  expanded: boolean;
  onToggle: () => void;
  filterBy: (name: 'userId' | 'impersonationId', value: string | null) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const acting = e.actor.id !== null && e.actor.id !== e.user.id;
  const userName = e.user.label ?? e.user.id ?? t('auditTrail.system');
  const actorName = e.actor.label ?? e.actor.id ?? t('auditTrail.system');
  return (
    <Fragment key={e.id}>
      <Table.Tr data-event={e.id}>
        <Table.Td>
          <Tooltip label={format.exact(e.occurredAt)} openDelay={300}>
            <Text size="sm" component="time" dateTime={e.occurredAt} tabIndex={0}>
              {format.dateTime(e.occurredAt)}
            </Text>
          </Tooltip>
        </Table.Td>
        <Table.Td>
          {acting ? (
            <Text size="sm">{t('auditTrail.actingAs', { actor: actorName, user: userName })}</Text>
          ) : (
            <Text size="sm">{userName}</Text>
          )}
          {e.user.id && (
            <Anchor component="button" type="button" size="xs" onClick={() => filterBy('userId', e.user.id)}>
              {t('auditTrail.filterUser', { name: userName })}
            </Anchor>
          )}
        </Table.Td>
        <Table.Td>
          <Text size="sm" data-action={e.action}>
            {auditActionText(t, e.action)}
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{e.target.label ?? e.target.id ?? '–'}</Text>
          <Text size="xs" c="dimmed">
            {targetTypeText(t, e.target.type)}
          </Text>
        </Table.Td>
        <Table.Td>
          {e.impersonationId ? (
            <>
              <Anchor
                component="button"
                type="button"
                size="xs"
                ff="monospace"
                aria-label={t('auditTrail.filterImpersonation', { id: e.impersonationId })}
                onClick={() => filterBy('impersonationId', e.impersonationId)}
              >
                {e.impersonationId.slice(0, 8)}
              </Anchor>
              {e.impersonationReason && (
                <Text size="xs">{t('auditTrail.reason', { reason: e.impersonationReason })}</Text>
              )}
            </>
          ) : (
            '–'
          )}
        </Table.Td>
        <Table.Td>
          <Button
            size="xs"
            variant="subtle"
            aria-expanded={expanded}
            aria-controls={`audit-detail-${e.id}`}
            leftSection={
              expanded ? (
                <IconChevronDown size={14} aria-hidden />
              ) : (
                <IconChevronRight size={14} aria-hidden />
              )
            }
            onClick={onToggle}
          >
            {t('auditTrail.details')}
          </Button>
        </Table.Td>
      </Table.Tr>
      {expanded && (
        <Table.Tr id={`audit-detail-${e.id}`}>
          <Table.Td colSpan={6} bg="var(--mantine-color-gray-0)">
            <AuditDetail event={e} />
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}

function AuditDetail({ event }: { event: AuditEvent }) {
  const { t } = useTranslation();
  const changes = Object.entries(event.changes ?? {});
  return (
    <Stack gap="xs">
      <Text size="sm">
        {t('auditTrail.detailIds', {
          id: event.id,
          user: event.user.id ?? '–',
          actor: event.actor.id ?? '–',
        })}
      </Text>
      {event.impersonationId && (
        <Text size="sm">{t('auditTrail.detailImpersonation', { id: event.impersonationId })}</Text>
      )}
      {changes.length > 0 ? (
        <Table withTableBorder withColumnBorders fz="sm">
          <VisuallyHidden component="caption">{t('auditTrail.changesCaption')}</VisuallyHidden>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('auditTrail.changeField')}</Table.Th>
              <Table.Th scope="col">{t('auditTrail.before')}</Table.Th>
              <Table.Th scope="col">{t('auditTrail.after')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {changes.map(([name, c]) => (
              <Table.Tr key={name}>
                <Table.Th scope="row">{name}</Table.Th>
                <Table.Td style={{ wordBreak: 'break-word' }}>{show(c.before)}</Table.Td>
                <Table.Td style={{ wordBreak: 'break-word' }}>{show(c.after)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="sm" c="dimmed">
          {t('auditTrail.noChanges')}
        </Text>
      )}
      {event.details && (
        <>
          <Text size="sm" fw={600}>
            {t('auditTrail.moreDetails')}
          </Text>
          <Code block>{JSON.stringify(event.details, null, 2)}</Code>
        </>
      )}
      <Text size="xs" c="dimmed">
        {t('auditTrail.origin', { ip: event.ip ?? '–', request: event.requestId ?? '–' })}
      </Text>
    </Stack>
  );
}
