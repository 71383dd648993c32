import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, Group, MultiSelect, Paper, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  listAuditActions,
  listAuditEvents,
  verifyAuditChain,
  type AuditEvent,
  type AuditQuery,
  type ChainCheck,
} from '../../api/audit.ts';
import type { Member } from '../../api/orgs.ts';
import { getUser } from '../../api/user-detail.ts';
import { CursorPagedTable, useCursorPages } from '../../components/CursorPagedTable.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { auditActionText } from '../../i18n/words.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { canListUsers } from '../../session/permissions.ts';
import { AuditRow, useAuditColumns, type AuditFilterLink } from './audit/AuditRow.tsx';
import { ChainCheckResult } from './audit/ChainCheckResult.tsx';
import { PersonPicker } from './audit/PersonPicker.tsx';

// R-IMP-08, issue 10 #11: the audit trail, newest first, for people: filters by a person (picked
// by name), by actions (chosen by their words) and by an impersonation (through its link). The
// filters live in the address (/admin/audit?personId=...), so a view can be linked and reloaded.
// actorId, userId and targetId of older links still apply.

const filterNames = [
  'personId',
  'action',
  'impersonationId',
  'from',
  'to',
  'actorId',
  'userId',
  'targetId',
] as const;
type FilterName = (typeof filterNames)[number];
type Filters = Record<FilterName, string>;

/** datetime-local ("2026-11-23T09:00") in the browser's zone -> ISO 8601 with offset. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const ms = new Date(local).getTime();
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The person's name as the events on the page give it, for readers who may not list users. */
function nameIn(events: AuditEvent[] | null, id: string): string | null {
  for (const e of events ?? []) {
    for (const p of [e.actor, e.user, e.target]) if (p.id === id && p.label) return p.label;
  }
  return null;
}

export function AuditPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const mayPickPeople = !!session && canListUsers(session);
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
  const [known, setKnown] = useState<Member[]>([]);
  const [actions, setActions] = useState<string[]>([]);
  useEffect(() => {
    listAuditActions().then(setActions, () => setActions([]));
  }, []);

  const columns = useAuditColumns();
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [check, setCheck] = useState<{ busy: boolean; result: ChainCheck | null; error: unknown }>({
    busy: false,
    result: null,
    error: null,
  });

  // New filters start again at the newest event; "more" appends the next page.
  const pages = useCursorPages<AuditEvent>(appliedKey, (cursor, signal) => {
    const f = Object.fromEntries(filterNames.map((n, i) => [n, appliedKey.split('\n')[i] ?? ''])) as Filters;
    const query: AuditQuery = {
      personId: f.personId || undefined,
      action: f.action || undefined,
      impersonationId: f.impersonationId || undefined,
      actorId: f.actorId || undefined,
      userId: f.userId || undefined,
      from: toIso(f.from),
      to: toIso(f.to),
      targetId: f.targetId || undefined,
      limit: 50,
      cursor,
    };
    return listAuditEvents(query, signal);
  });

  // The chosen person by name: from the picker or a link, else from the server.
  const personId = draft.personId;
  const person: Member | null = personId
    ? (known.find((p) => p.id === personId) ?? {
        id: personId,
        displayName: nameIn(pages.items, personId) ?? '…',
        primaryEmail: null,
      })
    : null;
  useEffect(() => {
    if (!personId || !mayPickPeople || known.some((p) => p.id === personId)) return;
    getUser(personId).then(
      ({ user }) =>
        setKnown((k) => [
          ...k,
          { id: user.id, displayName: user.displayName, primaryEmail: user.primaryEmail },
        ]),
      () => undefined,
    );
  }, [personId, mayPickPeople, known]);

  const apply = (filters: Filters) => {
    const next = new URLSearchParams();
    for (const n of filterNames) if (filters[n].trim()) next.set(n, filters[n].trim());
    setParams(next);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    apply(draft);
  };
  const filterBy = (link: AuditFilterLink) => {
    if (link.name === 'personId')
      setKnown((k) => [...k, { id: link.value, displayName: link.label, primaryEmail: null }]);
    apply({ ...applied, [link.name]: link.value });
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

  const dateField = (name: 'from' | 'to') => (
    <TextInput
      label={t(`auditTrail.filters.${name}`)}
      description={t(`auditTrail.filterHints.${name}`)}
      type="datetime-local"
      value={draft[name]}
      onChange={(e) => {
        const value = e.currentTarget.value;
        setDraft((d) => ({ ...d, [name]: value }));
      }}
    />
  );
  const chosenActions = draft.action ? draft.action.split(',') : [];
  const impersonationReason = applied.impersonationId
    ? pages.items?.find((e) => e.impersonationReason)?.impersonationReason
    : null;

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
        {check.result && <ChainCheckResult result={check.result} />}
        <ErrorAlert error={check.error} />
      </div>
      <Paper withBorder p="md" component="form" onSubmit={onSubmit} aria-label={t('auditTrail.filtersLabel')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {mayPickPeople ? (
            <PersonPicker
              value={person}
              onChange={(p) => {
                if (p) setKnown((k) => [...k, p]);
                setDraft((d) => ({ ...d, personId: p?.id ?? '' }));
              }}
            />
          ) : (
            // Without users.read there is no one to search; a person chosen by a link shows here.
            person && <TextInput label={t('auditPeople.person')} value={person.displayName} readOnly />
          )}
          <MultiSelect
            label={t('auditPeople.actions')}
            description={t('auditPeople.actionsHint')}
            placeholder={chosenActions.length === 0 ? t('auditPeople.actionsPlaceholder') : undefined}
            searchable
            clearable
            clearButtonProps={{ 'aria-label': t('auditTrail.clear') }}
            data={[...new Set([...actions, ...chosenActions])]
              .map((a) => ({ value: a, label: auditActionText(t, a) }))
              .sort((a, b) => a.label.localeCompare(b.label))}
            value={chosenActions}
            onChange={(codes) => setDraft((d) => ({ ...d, action: codes.join(',') }))}
            maxDropdownHeight={300}
          />
          {dateField('from')}
          {dateField('to')}
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
      {applied.impersonationId && (
        <Alert variant="light" color="blue">
          <Group justify="space-between">
            <span>
              {impersonationReason
                ? t('auditPeople.impersonationFilterReason', { reason: impersonationReason })
                : t('auditPeople.impersonationFilter')}
            </span>
            <Button size="xs" variant="default" onClick={() => apply({ ...applied, impersonationId: '' })}>
              {t('auditPeople.removeImpersonationFilter')}
            </Button>
          </Group>
        </Alert>
      )}
      <ErrorAlert error={pages.error} />
      <CursorPagedTable
        pages={pages}
        caption={t('auditTrail.caption')}
        columns={columns}
        empty={t('auditTrail.empty')}
        moreLabel={t('auditTrail.more')}
        row={(e) => (
          <AuditRow
            key={e.id}
            event={e}
            expanded={open.has(e.id)}
            onToggle={() => toggle(e.id)}
            filterBy={filterBy}
            personId={applied.personId || null}
          />
        )}
      />
    </Stack>
  );
}
