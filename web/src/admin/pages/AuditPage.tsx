import { useState } from 'react';
import type { FormEvent } from 'react';
import { Button, Group, Paper, SimpleGrid, Stack, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  listAuditEvents,
  verifyAuditChain,
  type AuditEvent,
  type AuditQuery,
  type ChainCheck,
} from '../../api/audit.ts';
import { CursorPagedTable, useCursorPages } from '../../components/CursorPagedTable.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { AuditRow } from './audit/AuditRow.tsx';
import { ChainCheckResult } from './audit/ChainCheckResult.tsx';

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

export function AuditPage() {
  const { t } = useTranslation();
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

  const [open, setOpen] = useState<Set<string>>(new Set());
  const [check, setCheck] = useState<{ busy: boolean; result: ChainCheck | null; error: unknown }>({
    busy: false,
    result: null,
    error: null,
  });

  // New filters start again at the newest event; "more" appends the next page.
  const pages = useCursorPages<AuditEvent>(appliedKey, (cursor, signal) => {
    const [actorId, userId, impersonationId, action, from, to] = appliedKey.split('\n');
    const query: AuditQuery = {
      actorId: actorId || undefined,
      userId: userId || undefined,
      impersonationId: impersonationId || undefined,
      action: action || undefined,
      from: toIso(from ?? ''),
      to: toIso(to ?? ''),
      limit: 50,
      cursor,
    };
    return listAuditEvents(query, signal);
  });

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
        {check.result && <ChainCheckResult result={check.result} />}
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
      <ErrorAlert error={pages.error} />
      <CursorPagedTable
        pages={pages}
        caption={t('auditTrail.caption')}
        columns={[
          t('auditTrail.columns.when'),
          t('auditTrail.columns.who'),
          t('auditTrail.columns.what'),
          t('auditTrail.columns.target'),
          t('auditTrail.columns.impersonation'),
          <VisuallyHidden key="details">{t('auditTrail.columns.details')}</VisuallyHidden>,
        ]}
        empty={t('auditTrail.empty')}
        moreLabel={t('auditTrail.more')}
        row={(e) => (
          <AuditRow
            key={e.id}
            event={e}
            expanded={open.has(e.id)}
            onToggle={() => toggle(e.id)}
            filterBy={filterBy}
          />
        )}
      />
    </Stack>
  );
}
