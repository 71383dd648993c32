import { useEffect, useState } from 'react';
import { SimpleGrid, Stack, Table, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '../../api/types.ts';
import { userHistory } from '../../api/user-detail.ts';
import { useFormat } from '../../i18n/format.ts';
import { auditActionText } from '../../i18n/words.ts';
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

function History() {
  const { t } = useTranslation();
  const { user } = useUserPage();
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [error, setError] = useState<unknown>(null);
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
                <Table.Th scope="col">{t('userPage.info.when')}</Table.Th>
                <Table.Th scope="col">{t('userPage.info.action')}</Table.Th>
                <Table.Th scope="col">{t('userPage.info.actor')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>
                    <When iso={e.occurredAt} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" data-action={e.action}>
                      {auditActionText(t, e.action)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{e.actor.label ?? '–'}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
