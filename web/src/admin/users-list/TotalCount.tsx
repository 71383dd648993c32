import { useState } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { countUsers, type UserListQuery } from '../../api/users.ts';
import type { UserListPage } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useAction } from '../../components/useLoad.ts';
import { useFormat } from '../../i18n/format.ts';

// R-ADM-06, issue 10 #17: the list's total stops at 1000 so that every page stays fast. Past it
// the page says "more than 1,000 users", not "1,000+", and counts exactly only when asked.
// The parent keys this component by the search and filters, so an exact count never outlives
// the listing it was made for.

export function TotalCount({
  total,
  query,
}: {
  total: UserListPage['total'];
  query: Omit<UserListQuery, 'limit' | 'cursor' | 'sort'>;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const [exact, setExact] = useState<UserListPage['total'] | null>(null);
  const counting = useAction();
  const shown = exact ?? total;
  const text = shown.capped
    ? t('userList.totalMoreThan', { count: shown.count, total: format.number(shown.count) })
    : t('userList.total', { count: shown.count, total: format.number(shown.count) });
  return (
    <Group gap="xs" align="center">
      <Text c="dimmed" size="sm" aria-live="polite" data-testid="user-count">
        {text}
      </Text>
      {total.capped && exact === null && (
        <Button
          variant="subtle"
          size="compact-sm"
          loading={counting.busy}
          onClick={() =>
            void counting.run(
              async () => setExact(await countUsers(query)),
              () => {},
            )
          }
        >
          {t('userList.countExactly')}
        </Button>
      )}
      <ErrorAlert error={counting.error} />
    </Group>
  );
}
