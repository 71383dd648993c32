import { Group, Table, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { type UserSort } from '../../api/users.ts';
import { type OptionalColumn } from './columns.ts';

// A column header of the user list that sorts on the server: ascending, then descending.

/** The columns the server sorts by: ascending and descending order (username: ascending only). */
export const sortable: Partial<Record<'name' | OptionalColumn, { asc: UserSort; desc?: UserSort }>> = {
  name: { asc: 'lastName', desc: '-lastName' },
  email: { asc: 'email', desc: '-email' },
  username: { asc: 'username' },
  created: { asc: 'createdAt', desc: '-createdAt' },
};
export const defaultSort: UserSort = '-createdAt';

export function SortableHeader({
  column,
  label,
  sort,
  onSort,
}: {
  column: 'name' | OptionalColumn;
  label: string;
  sort: UserSort;
  onSort: (sort: UserSort) => void;
}) {
  const { t } = useTranslation();
  const orders = sortable[column];
  if (!orders) return <Table.Th scope="col">{label}</Table.Th>;
  const direction = sort === orders.asc ? 'ascending' : sort === orders.desc ? 'descending' : null;
  // Ascending first (the newest-first default aside), then descending; a column without a
  // descending order goes back to the default.
  const nextSort: UserSort =
    direction === 'ascending'
      ? (orders.desc ?? defaultSort)
      : direction === 'descending'
        ? orders.asc
        : orders.asc;
  const Icon =
    direction === 'ascending' ? IconArrowUp : direction === 'descending' ? IconArrowDown : IconArrowsSort;
  return (
    <Table.Th scope="col" aria-sort={direction ?? undefined}>
      <UnstyledButton
        onClick={() => onSort(nextSort)}
        aria-label={t('userList.sortBy', { column: label })}
        fw={700}
        fz="sm"
      >
        <Group gap={4} wrap="nowrap">
          <span>{label}</span>
          <Icon size={14} aria-hidden stroke={direction ? 2 : 1.2} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}
