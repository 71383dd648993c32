import { Fragment, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Code,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  listAuditEvents,
  verifyAuditChain,
  type AuditEvent,
  type AuditQuery,
  type ChainCheck,
} from '../../api/audit.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../i18n/format.ts';

// R-IMP-08: the audit trail, newest first. The filters live in the address
// (/admin/audit?impersonationId=...), so a filtered view can be linked and reloaded.

const filterNames = ['actorId', 'userId', 'impersonationId', 'action', 'from', 'to'] as const;
type FilterName = (typeof filterNames)[number];
type Filters = Record<FilterName, string>;

/** datetime-local ("2026-11-23T09:00") in the browser's zone -> ISO 8601 with offset. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const ms = new Date(local).getTime();
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const show = (value: unknown) => (value === undefined ? '–' : JSON.stringify(value));

export function AuditPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const applied: Filters = Object.fromEntries(filterNames.map((n) => [n, params.get(n) ?? ''])) as Filters;
  const appliedKey = filterNames.map((n) => applied[n]).join('\n');
  const [draft, setDraft] = useState<Filters>(applied);
  const [draftFor, setDraftFor] = useState(appliedKey);
  if (draftFor !== appliedKey) {
    // The address changed (a link, back/forward): show its filters in the form.
    setDraftFor(appliedKey);
    setDraft(applied);
  }

  const [cursor, setCursor] = useState<{ key: string; value: string | null }>({
    key: appliedKey,
    value: null,
  });
  const activeCursor = cursor.key === appliedKey ? cursor.value : null;
  const requestKey = `${appliedKey}\n${activeCursor ?? ''}`;
  const [answer, setAnswer] = useState<{
    key: string;
    items: AuditEvent[] | null;
    nextCursor: string | null;
    error: unknown;
  }>({ key: '', items: null, nextCursor: null, error: null });
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [check, setCheck] = useState<{ busy: boolean; result: ChainCheck | null; error: unknown }>({
    busy: false,
    result: null,
    error: null,
  });

  useEffect(() => {
    const controller = new AbortController();
    const [actorId, userId, impersonationId, action, from, to] = appliedKey.split('\n');
    const query: AuditQuery = {
      actorId: actorId || undefined,
      userId: userId || undefined,
      impersonationId: impersonationId || undefined,
      action: action || undefined,
      from: toIso(from ?? ''),
      to: toIso(to ?? ''),
      limit: 50,
      cursor: activeCursor,
    };
    listAuditEvents(query, controller.signal).then(
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
  }, [requestKey, appliedKey, activeCursor]);
  const loading = answer.key !== requestKey;
  const items = answer.key === requestKey || activeCursor ? answer.items : null;

  const apply = (filters: Filters) => {
    const next = new URLSearchParams();
    for (const n of filterNames) if (filters[n].trim()) next.set(n, filters[n].trim());
    setParams(next);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    apply(draft);
  };
  const filterBy = (name: FilterName, value: string | null) => {
    if (value) apply({ ...applied, [name]: value });
  };
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const verify = async () => {
    setCheck({ busy: true, result: null, error: null });
    try {
      setCheck({ busy: false, result: await verifyAuditChain(), error: null });
    } catch (e) {
      setCheck({ busy: false, result: null, error: e });
    }
  };

  const field = (name: FilterName, type = 'text') => (
    <TextInput
      label={t(`auditTrail.filters.${name}`)}
      description={t(`auditTrail.filterHints.${name}`)}
      type={type}
      value={draft[name]}
      onChange={(e) => {
        const value = e.currentTarget.value;
        setDraft((d) => ({ ...d, [name]: value }));
      }}
    />
  );

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {t('auditTrail.title')}
        </Title>
        <Button
          variant="default"
          leftSection={<IconShieldCheck size={16} aria-hidden />}
          loading={check.busy}
          onClick={() => void verify()}
        >
          {t('auditTrail.verify')}
        </Button>
      </Group>
      <div aria-live="polite">
        {check.result?.ok && (
          <Alert
            color="green"
            icon={<IconShieldCheck aria-hidden />}
            title={t('auditTrail.intactTitle')}
            styles={{
              title: { color: 'var(--mantine-color-dark-7)' },
              label: { color: 'var(--mantine-color-dark-7)' },
            }}
          >
            {t('auditTrail.intact', {
              count: check.result.checked,
              checked: format.number(check.result.checked),
            })}
          </Alert>
        )}
        {check.result && !check.result.ok && (
          <Alert color="red" icon={<IconShieldX aria-hidden />} title={t('auditTrail.brokenTitle')}>
            {t('auditTrail.broken', {
              seq: check.result.firstBroken ? format.number(check.result.firstBroken.seq) : '?',
              id: check.result.firstBroken?.id ?? '?',
              reason: t(`auditTrail.brokenReasons.${check.result.firstBroken?.reason ?? 'hash_mismatch'}`),
            })}
          </Alert>
        )}
        <ErrorAlert error={check.error} />
      </div>
      <Paper withBorder p="md" component="form" onSubmit={onSubmit} aria-label={t('auditTrail.filtersLabel')}>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {field('actorId')}
          {field('userId')}
          {field('impersonationId')}
          {field('action')}
          {field('from', 'datetime-local')}
          {field('to', 'datetime-local')}
        </SimpleGrid>
        <Group justify="flex-end" mt="md">
          <Button
            variant="default"
            onClick={() => apply(Object.fromEntries(filterNames.map((n) => [n, ''])) as Filters)}
          >
            {t('auditTrail.clear')}
          </Button>
          <Button type="submit">{t('auditTrail.apply')}</Button>
        </Group>
      </Paper>
      <ErrorAlert error={answer.key === requestKey ? answer.error : null} />
      <Paper withBorder>
        <Table.ScrollContainer minWidth={960}>
          <Table verticalSpacing="sm" aria-busy={loading}>
            <VisuallyHidden component="caption">{t('auditTrail.caption')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('auditTrail.columns.when')}</Table.Th>
                <Table.Th scope="col">{t('auditTrail.columns.who')}</Table.Th>
                <Table.Th scope="col">{t('auditTrail.columns.what')}</Table.Th>
                <Table.Th scope="col">{t('auditTrail.columns.target')}</Table.Th>
                <Table.Th scope="col">{t('auditTrail.columns.impersonation')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('auditTrail.columns.details')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items?.map((e) => {
                const expanded = open.has(e.id);
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
                          <Text size="sm">
                            {t('auditTrail.actingAs', { actor: actorName, user: userName })}
                          </Text>
                        ) : (
                          <Text size="sm">{userName}</Text>
                        )}
                        {e.user.id && (
                          <Anchor
                            component="button"
                            type="button"
                            size="xs"
                            onClick={() => filterBy('userId', e.user.id)}
                          >
                            {t('auditTrail.filterUser', { name: userName })}
                          </Anchor>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Code>{e.action}</Code>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{e.target.label ?? e.target.id ?? '–'}</Text>
                        <Text size="xs" c="dimmed">
                          {e.target.type}
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
                              <Text size="xs">
                                {t('auditTrail.reason', { reason: e.impersonationReason })}
                              </Text>
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
                          onClick={() => toggle(e.id)}
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
              })}
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
            {t('auditTrail.empty')}
          </Text>
        )}
      </Paper>
      {answer.key === requestKey && answer.nextCursor && (
        <Group justify="center">
          <Button variant="default" onClick={() => setCursor({ key: appliedKey, value: answer.nextCursor })}>
            {t('auditTrail.more')}
          </Button>
        </Group>
      )}
    </Stack>
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
