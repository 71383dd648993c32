import { useEffect, useState } from 'react';
import { Anchor, SimpleGrid, Stack, Table, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { AuditEvent } from '../../api/audit.ts';
import { userHistory } from '../../api/user-detail.ts';
import { useFormat } from '../../i18n/format.ts';
import { AuditRow, useAuditColumns } from '../pages/audit/AuditRow.tsx';
import { useSession } from '../../session/SessionContext.tsx';
import { hasPermission } from '../../session/permissions.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Section, useUserPage } from './shared.tsx';

function When({ iso }: { iso: string }) {
  const format = useFormat();
  return (
    <Tooltip label={format.exact(iso)} openDelay={300}>
      <Text span size="sm" component="time" dateTime={iso} tabIndex={0}>
        {format.dateTime(iso)}
      </Text>
    </Tooltip>
  );
}

/** Creation, last change, failed logins; and the user's recent history for audit readers. */
export function InformationSection() {
  const { t } = useTranslation();
  const format = useFormat();
  const { session } = useSession();
  const { user } = useUserPage();
  const mayReadAudit = !!session && !session.impersonation && hasPermission(session, 'audit.read');
  return (
    <Section title={t('userPage.info.title')}>
      <SimpleGrid cols={{ base: 1, sm: 3 }} component="dl" m={0}>
        <div>
          <Text component="dt" size="sm" c="dimmed">
            {t('userPage.info.created')}
          </Text>
          <Text component="dd" m={0}>
            <When iso={user.createdAt} />
          </Text>
        </div>
        <div>
          <Text component="dt" size="sm" c="dimmed">
            {t('userPage.info.updated')}
          </Text>
          <Text component="dd" m={0}>
            <When iso={user.updatedAt} />
          </Text>
        </div>
        <div>
          <Text component="dt" size="sm" c="dimmed">
            {t('userPage.info.failedLogins')}
          </Text>
          <Text component="dd" m={0} size="sm">
            {format.number(user.failedLogins)}
          </Text>
        </div>
      </SimpleGrid>
      {mayReadAudit && <History />}
    </Section>
  );
}

/**
 * The user's recent history (issue 10 #11): the events by, as or to them, in the audit trail's
 * own rows and sentences; its links open the audit trail with that filter.
 */
function History() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { user } = useUserPage();
  const columns = useAuditColumns();
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<string | null>(null);
  // Asked again whenever the user changes (updatedAt moves with every edit).
  useEffect(() => {
    let live = true;
    userHistory(user.id).then(
      (page) => live && setEvents(page.items),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [user.id, user.updatedAt]);
  const trailOf = (name: string, value: string) =>
    `/admin/audit?${new URLSearchParams({ [name]: value }).toString()}`;

  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('userPage.info.history')}
      </Title>
      <ErrorAlert error={error} />
      {events && events.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('userPage.info.noHistory')}
        </Text>
      )}
      {events && events.length > 0 && (
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing={4}>
            <VisuallyHidden component="caption">{t('userPage.info.history')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                {columns.map((c, i) => (
                  <Table.Th key={i} scope="col">
                    {c}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.map((e) => (
                <AuditRow
                  key={e.id}
                  event={e}
                  expanded={open === e.id}
                  onToggle={() => setOpen(open === e.id ? null : e.id)}
                  filterBy={(link) => void navigate(trailOf(link.name, link.value))}
                  personId={user.id}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Anchor component={Link} to={trailOf('personId', user.id)} size="sm">
        {t('auditPeople.allHistory', { name: user.displayName })}
      </Anchor>
    </Stack>
  );
}
