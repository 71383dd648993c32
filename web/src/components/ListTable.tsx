import type { ReactNode } from 'react';
import { Button, Group, Loader, Paper, Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';

// A bordered, striped list table with a hidden caption, column headers, a spinner while the
// first answer is awaited and a line when there is nothing to show. The last column holds the
// row's actions; its header is for screen readers only.

export function ListTable<T>({
  caption,
  columns,
  actionsLabel,
  items,
  error,
  empty,
  row,
  minWidth = 640,
}: {
  caption: string;
  columns: string[];
  actionsLabel: string;
  items: T[] | null;
  error: unknown;
  empty: string;
  row: (item: T) => ReactNode;
  minWidth?: number;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder>
      <Table.ScrollContainer minWidth={minWidth}>
        <Table striped verticalSpacing="sm">
          <VisuallyHidden component="caption">{caption}</VisuallyHidden>
          <Table.Thead>
            <Table.Tr>
              {columns.map((label) => (
                <Table.Th key={label} scope="col">
                  {label}
                </Table.Th>
              ))}
              <Table.Th scope="col">
                <VisuallyHidden>{actionsLabel}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{items?.map(row)}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {!items && !error && (
        <Group justify="center" p="lg">
          <Loader role="status" aria-label={t('common.loading')} />
        </Group>
      )}
      {items?.length === 0 && (
        <Text p="lg" c="dimmed" ta="center">
          {empty}
        </Text>
      )}
    </Paper>
  );
}

/** A small row button named after what it does and to which row: "Rename: Sales". */
export function RowAction({
  label,
  name,
  icon,
  danger = false,
  disabled,
  onClick,
}: {
  label: string;
  name: string;
  icon: ReactNode;
  danger?: boolean;
  disabled?: boolean;
  onClick: () => void;
}) {
  return (
    <Button
      size="xs"
      variant={danger ? 'subtle' : 'light'}
      color={danger ? 'red' : undefined}
      leftSection={icon}
      aria-label={`${label}: ${name}`}
      disabled={disabled}
      onClick={onClick}
    >
      {label}
    </Button>
  );
}
