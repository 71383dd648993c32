import { useEffect, useState } from 'react';
import {
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChevronLeft, IconChevronRight, IconLogin2, IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { listUsers } from '../../api/users.ts';
import type { Session, Tag, UserListItem, UserListPage } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../i18n/format.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { canImpersonate, isPowerUser, isSuperadmin } from '../../session/permissions.ts';
import { ImpersonateDialog } from './ImpersonateDialog.tsx';

// R-ADM-06: the admin user list. Search and paging happen on the server (keyset cursors, never
// OFFSET), so the page stays as fast at a million users as at ten.

const tagColors: Record<Tag, string> = {
  active: 'green',
  inactive: 'gray',
  'system-administrator': 'grape',
  superadmin: 'red',
  'power-user': 'indigo',
  locked: 'orange',
  'cannot-log-in': 'yellow',
};

/** Why this person may not act as this user, as an i18n key; null when the button is on. */
function impersonationBlock(session: Session, user: UserListItem): string | null {
  if (user.id === session.user.id) return 'users.impersonate.self';
  if (user.role === 'superadmin') return 'users.impersonate.superadmin';
  if (!user.active) return 'users.impersonate.inactive';
  if (user.role === 'power-user' && isPowerUser(session)) return 'users.impersonate.powerUser';
  if (user.role === 'power-user' && !isSuperadmin(session)) return 'users.impersonate.onlySuperadmin';
  return null;
}

const pageSizes = ['25', '50', '100'];

export function UsersPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { session } = useSession();
  const [search, setSearch] = useState('');
  const [term] = useDebouncedValue(search.trim(), 300);
  const [limit, setLimit] = useState('25');
  // cursors[i] fetches page i (the first page has none); a new search or page size starts
  // again at the first page.
  const listing = `${term}\n${limit}`;
  const [paging, setPaging] = useState({ listing, cursors: [null] as (string | null)[], index: 0 });
  if (paging.listing !== listing) setPaging({ listing, cursors: [null], index: 0 });
  const [acting, setActing] = useState<UserListItem | null>(null);
  const pageIndex = paging.index;
  const cursor = paging.cursors[pageIndex] ?? null;

  // The last answer stays on screen while the next one loads.
  const requestKey = `${listing}\n${cursor ?? ''}`;
  const [answer, setAnswer] = useState<{ key: string; page: UserListPage | null; error: unknown }>({
    key: '',
    page: null,
    error: null,
  });
  useEffect(() => {
    const controller = new AbortController();
    listUsers({ q: term, limit: Number(limit), cursor }, controller.signal).then(
      (result) => setAnswer({ key: requestKey, page: result, error: null }),
      (e: unknown) => {
        if (!controller.signal.aborted) setAnswer((a) => ({ key: requestKey, page: a.page, error: e }));
      },
    );
    return () => controller.abort();
  }, [requestKey, term, limit, cursor]);
  const { page, error } = answer;
  const loading = answer.key !== requestKey;

  const next = () => {
    if (!page?.nextCursor) return;
    const nextCursor = page.nextCursor;
    setPaging((p) => ({
      ...p,
      cursors: [...p.cursors.slice(0, p.index + 1), nextCursor],
      index: p.index + 1,
    }));
  };

  if (!session) return null;
  const mayImpersonate = canImpersonate(session);

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {t('users.title')}
        </Title>
        {page && (
          <Text c="dimmed" size="sm" aria-live="polite">
            {t('users.total', {
              count: page.total.count,
              total: format.count(page.total.count, page.total.capped),
            })}
          </Text>
        )}
      </Group>
      <Group align="flex-end">
        <TextInput
          label={t('users.search')}
          placeholder={t('users.searchPlaceholder')}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          style={{ flex: 1, minWidth: 240 }}
          type="search"
        />
        <Select
          label={t('users.pageSize')}
          data={pageSizes}
          value={limit}
          onChange={(v) => setLimit(v ?? '25')}
          allowDeselect={false}
          w={120}
        />
      </Group>
      <ErrorAlert error={error} />
      <Paper withBorder pos="relative">
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing="sm" aria-busy={loading}>
            <VisuallyHidden component="caption">{t('users.caption')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('users.columns.name')}</Table.Th>
                <Table.Th scope="col">{t('users.columns.email')}</Table.Th>
                <Table.Th scope="col">{t('users.columns.tags')}</Table.Th>
                <Table.Th scope="col">{t('users.columns.created')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('users.columns.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page?.items.map((user) => (
                <Table.Tr key={user.id}>
                  <Table.Th scope="row" fw={500}>
                    <Text fw={600} size="sm">
                      {user.displayName}
                    </Text>
                    {user.username && (
                      <Text size="xs" c="dimmed">
                        {user.username}
                      </Text>
                    )}
                  </Table.Th>
                  <Table.Td>
                    <Text size="sm">{user.primaryEmail ?? '–'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {user.tags.map((tag) => (
                        <Badge key={tag} color={tagColors[tag]} variant="light" c="dark.7" size="sm">
                          {t(`tags.${tag}`)}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Tooltip label={format.exact(user.createdAt)} openDelay={300}>
                      <Text size="sm" component="time" dateTime={user.createdAt} tabIndex={0}>
                        {format.date(user.createdAt)}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    {mayImpersonate && (
                      <ImpersonateButton
                        user={user}
                        block={impersonationBlock(session, user)}
                        onClick={() => setActing(user)}
                      />
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {loading && !page && (
          <Group justify="center" p="lg">
            <Loader aria-label={t('common.loading')} />
          </Group>
        )}
        {page && page.items.length === 0 && !page.nextCursor && (
          <Text p="lg" c="dimmed" ta="center">
            {term ? t('users.noMatch', { term }) : t('users.empty')}
          </Text>
        )}
      </Paper>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('users.pageNumber', { page: format.number(pageIndex + 1) })}
        </Text>
        <Group gap="xs">
          <Button
            variant="default"
            leftSection={<IconChevronLeft size={16} aria-hidden />}
            disabled={pageIndex === 0 || loading}
            onClick={() => setPaging((p) => ({ ...p, index: Math.max(0, p.index - 1) }))}
          >
            {t('users.previous')}
          </Button>
          <Button
            variant="default"
            rightSection={<IconChevronRight size={16} aria-hidden />}
            disabled={!page?.nextCursor || loading}
            onClick={next}
          >
            {t('users.next')}
          </Button>
        </Group>
      </Group>
      <ImpersonateDialog user={acting} onClose={() => setActing(null)} />
    </Stack>
  );
}

function ImpersonateButton({
  user,
  block,
  onClick,
}: {
  user: UserListItem;
  block: string | null;
  onClick: () => void;
}) {
  const { t } = useTranslation();
  const label = user.role === 'power-user' ? t('users.loginAsPowerUser') : t('users.loginAs');
  const button = (
    <Button
      size="xs"
      variant="light"
      leftSection={<IconLogin2 size={14} aria-hidden />}
      // Disabled but focusable, so keyboard users reach the explanation too.
      data-disabled={block ? true : undefined}
      aria-disabled={block ? true : undefined}
      aria-label={`${label}: ${user.displayName}`}
      onClick={(e) => {
        if (block) e.preventDefault();
        else onClick();
      }}
    >
      {label}
    </Button>
  );
  return block ? (
    <Tooltip label={t(block)} multiline w={260}>
      {button}
    </Tooltip>
  ) : (
    button
  );
}
