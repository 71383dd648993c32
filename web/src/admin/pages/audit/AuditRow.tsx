import { Fragment } from 'react';
import { Anchor, Button, Code, Group, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '../../../api/audit.ts';
import { useFormat } from '../../../i18n/format.ts';
import { auditSentence, eventSentenceParts } from '../../../i18n/audit-sentence.ts';

// One event of the audit trail: a row that says in a sentence who did what to whom, as whom and
// why (issue 10 #11), with links that filter by the people and the impersonation in it, and,
// opened, its details. The audit page and the user page's recent history share it.

const show = (value: unknown) => (value === undefined ? '–' : JSON.stringify(value));

export type AuditFilterLink =
  { name: 'personId'; value: string; label: string } | { name: 'impersonationId'; value: string };

/** The people an event names, each once: who acted, as whom, to whom. */
function peopleOf(e: AuditEvent): Array<{ id: string; label: string }> {
  const people = [e.actor, e.user, e.target.type === 'user' ? e.target : null];
  const seen = new Map<string, string>();
  for (const p of people) if (p?.id && p.label && !seen.has(p.id)) seen.set(p.id, p.label);
  return [...seen].map(([id, label]) => ({ id, label }));
}

export function AuditRow({
  event: e,
  expanded,
  onToggle,
  filterBy,
  personId,
}: {
  event: AuditEvent;
  expanded: boolean;
  onToggle: () => void;
  filterBy: (link: AuditFilterLink) => void;
  /** The person the list is about already: no link to filter by them again. */
  personId?: string | null;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const sentence = auditSentence(t, eventSentenceParts(t, e));
  const people = peopleOf(e).filter((p) => p.id !== personId);
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
          <Text size="sm" data-action={e.action}>
            {sentence}
          </Text>
          {people.length > 0 && (
            <Group gap="xs">
              {people.map((p) => (
                <Anchor
                  key={p.id}
                  component="button"
                  type="button"
                  size="xs"
                  onClick={() => filterBy({ name: 'personId', value: p.id, label: p.label })}
                >
                  {t('auditPeople.onlyPerson', { name: p.label })}
                </Anchor>
              ))}
            </Group>
          )}
        </Table.Td>
        <Table.Td>
          {e.impersonationId ? (
            <Anchor
              component="button"
              type="button"
              size="xs"
              aria-label={t('auditPeople.showImpersonationOf', { sentence })}
              onClick={() => filterBy({ name: 'impersonationId', value: e.impersonationId! })}
            >
              {t('auditPeople.showImpersonation')}
            </Anchor>
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
          <Table.Td colSpan={4} bg="var(--mantine-color-gray-0)">
            <AuditDetail event={e} />
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}

/** The columns of AuditRow, for the table around it. */
export function useAuditColumns() {
  const { t } = useTranslation();
  return [
    t('auditTrail.columns.when'),
    t('auditPeople.event'),
    t('auditTrail.columns.impersonation'),
    <VisuallyHidden key="details">{t('auditTrail.columns.details')}</VisuallyHidden>,
  ];
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
