import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Button, Group, Loader, Paper, Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';

// A list read newest first, page by page: the server answers a page and the cursor of the next
// one; "load older" appends it. A new filter (another `filterKey`) starts again at the newest.

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export function useCursorPages<T>(
  filterKey: string,
  fetchPage: (cursor: string | null, signal: AbortSignal) => Promise<CursorPage<T>>,
) {
  const [cursor, setCursor] = useState<{ key: string; value: string | null }>({
    key: filterKey,
    value: null,
  });
  const activeCursor = cursor.key === filterKey ? cursor.value : null;
  const requestKey = `${filterKey}\n${activeCursor ?? ''}`;
  const [answer, setAnswer] = useState<{
    key: string;
    items: T[] | null;
    nextCursor: string | null;
    error: unknown;
  }>({ key: '', items: null, nextCursor: null, error: null });

  useEffect(() => {
    const controller = new AbortController();
    fetchPage(activeCursor, controller.signal).then(
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
    // fetchPage depends on the filters only, which filterKey (in requestKey) stands for.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [requestKey]);
  const loading = answer.key !== requestKey;
  return {
    loading,
    /** While a next page loads, the pages so far stay; a new filter shows nothing until its answer. */
    items: !loading || activeCursor ? answer.items : null,
    error: loading ? null : answer.error,
    nextCursor: loading ? null : answer.nextCursor,
    more: () => setCursor({ key: filterKey, value: loading ? null : answer.nextCursor }),
  };
}

/** The table of such a list, with its spinner, empty line and "load older" button. */
export function CursorPagedTable<T>({
  pages,
  caption,
  columns,
  striped = false,
  minWidth = 960,
  empty,
  moreLabel,
  row,
}: {
  pages: ReturnType<typeof useCursorPages<T>>;
  caption: string;
  columns: ReactNode[];
  striped?: boolean;
  minWidth?: number;
  empty: string;
  moreLabel: string;
  row: (item: T) => ReactNode;
}) {
  const { t } = useTranslation();
  const { items, loading, nextCursor } = pages;
  return (
    <>
      <Paper withBorder>
        <Table.ScrollContainer minWidth={minWidth}>
          <Table striped={striped} verticalSpacing="sm" aria-busy={loading}>
            <VisuallyHidden component="caption">{caption}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                {columns.map((label, i) => (
                  <Table.Th key={i} scope="col">
                    {label}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>{items?.map(row)}</Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {loading && !items && (
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
      {nextCursor && (
        <Group justify="center">
          <Button variant="default" onClick={pages.more}>
            {moreLabel}
          </Button>
        </Group>
      )}
    </>
  );
}
