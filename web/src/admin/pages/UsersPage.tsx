import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChevronLeft, IconChevronRight, IconSearch, IconUserPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { listUsers, type UserSort } from '../../api/users.ts';
import type { Tag, UserListItem, UserListPage } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../i18n/format.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { canImpersonate, hasPermission } from '../../session/permissions.ts';
import { CreateUserDialog } from '../users-list/CreateUserDialog.tsx';
import { domainName, useDomains } from '../users-list/domains.ts';
import { useColumnChoice, type OptionalColumn } from '../users-list/columns.ts';
import { certainRefusal, useImpersonationPreviews, type PreviewState } from '../users-list/previews.ts';
import { ColumnChoice } from '../users-list/ColumnChoice.tsx';
import { ImpersonateAction } from '../users-list/ImpersonateAction.tsx';
import { TotalCount } from '../users-list/TotalCount.tsx';
import { useRememberedSearch } from '../users-list/search.ts';
import { SortableHeader, defaultSort } from '../users-list/SortableHeader.tsx';
import { ImpersonateDialog } from './ImpersonateDialog.tsx';

// R-ADM-06: the admin user list. Search, filters, sorting and paging happen on the server (keyset
// cursors, never OFFSET), so the page stays as fast at a million users as at ten. Power users get
// only the users in their reach (R-IMP-02). R-ADM-03: tags as badges. R-ADM-01: create a user.

const tagColors: Record<Tag, string> = {
  active: 'green',
  inactive: 'gray',
  'system-administrator': 'grape',
  superadmin: 'red',
  'power-user': 'indigo',
  locked: 'orange',
  'cannot-log-in': 'yellow',
};
const tags = Object.keys(tagColors) as Tag[];
const statuses = ['active', 'inactive', 'locked'] as const;
const roles = ['user', 'power-user', 'superadmin', 'system-administrator'] as const;
const pageSizes = ['25', '50', '100'];

interface Filters {
  status: string;
  role: string;
  tag: string;
  domain: string;
}
const noFilters: Filters = { status: '', role: '', tag: '', domain: '' };

export function UsersPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const { session } = useSession();
  const [search, setSearch] = useRememberedSearch(
    `${session?.user.id ?? ''}/${session?.impersonation?.id ?? ''}`,
  );
  const [term] = useDebouncedValue(search.trim(), 300);
  const [limit, setLimit] = useState('25');
  const [sort, setSort] = useState<UserSort>(defaultSort);
  const [filters, setFilters] = useState<Filters>(noFilters);
  const { columns, choose, saveError } = useColumnChoice();
  const [creating, setCreating] = useState(false);
  const [acting, setActing] = useState<UserListItem | null>(null);

  // The domains to filter by and show, for whoever may read them (power users get their reach anyway).
  const domains = useDomains(session);

  // cursors[i] fetches page i (the first page has none); a new search, filter, sort or page size
  // starts again at the first page. "Previous" goes back down the stack.
  const listing = JSON.stringify([term, limit, sort, filters]);
  const [paging, setPaging] = useState({ listing, cursors: [null] as (string | null)[], index: 0 });
  if (paging.listing !== listing) setPaging({ listing, cursors: [null], index: 0 });
  const pageIndex = paging.listing === listing ? paging.index : 0;
  const cursor = paging.listing === listing ? (paging.cursors[pageIndex] ?? null) : null;

  // The last answer stays on screen while the next one loads.
  const requestKey = `${listing}\n${cursor ?? ''}`;
  const [answer, setAnswer] = useState<{ key: string; page: UserListPage | null; error: unknown }>({
    key: '',
    page: null,
    error: null,
  });
  useEffect(() => {
    const controller = new AbortController();
    const [q, size, order, f] = JSON.parse(requestKey.split('\n')[0]!) as [string, string, UserSort, Filters];
    listUsers(
      {
        q,
        limit: Number(size),
        sort: order === defaultSort ? undefined : order,
        status: f.status,
        role: f.role,
        tag: f.tag,
        domain: f.domain,
        cursor,
      },
      controller.signal,
    ).then(
      (result) => setAnswer({ key: requestKey, page: result, error: null }),
      (e: unknown) => {
        if (!controller.signal.aborted) setAnswer((a) => ({ key: requestKey, page: a.page, error: e }));
      },
    );
    return () => controller.abort();
  }, [requestKey, cursor]);
  const { page, error } = answer;
  const loading = answer.key !== requestKey;

  const mayImpersonate = session !== null && canImpersonate(session);
  const previewOf = useImpersonationPreviews(loading ? [] : (page?.items ?? []), session, mayImpersonate);

  const next = () => {
    if (!page?.nextCursor) return;
    const nextCursor = page.nextCursor;
    setPaging((p) => ({
      ...p,
      cursors: [...p.cursors.slice(0, p.index + 1), nextCursor],
      index: p.index + 1,
    }));
  };
  const setFilter = (key: keyof Filters) => (value: string) => setFilters((f) => ({ ...f, [key]: value }));
  const filtered = Object.values(filters).some((v) => v !== '');

  if (!session) return null;
  // The domain column only where there are domains (issue 10 #2).
  const show = (c: OptionalColumn) => columns.includes(c) && (c !== 'domain' || domains.length > 0);
  const any = { value: '', label: t('userList.filters.any') };

  const header = (key: 'name' | OptionalColumn, label: string) => (
    <SortableHeader key={key} column={key} label={label} sort={sort} onSort={setSort} />
  );

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {t('userList.title')}
        </Title>
        <Group gap="md" align="center">
          {page && (
            <TotalCount
              key={paging.listing}
              total={page.total}
              query={{
                q: term,
                status: filters.status,
                role: filters.role,
                tag: filters.tag,
                domain: filters.domain,
              }}
            />
          )}
          {hasPermission(session, 'users.create') && (
            <Button leftSection={<IconUserPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
              {t('userList.create')}
            </Button>
          )}
        </Group>
      </Group>
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label={t('userList.search')}
          placeholder={t('userList.searchPlaceholder')}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          style={{ flex: 1, minWidth: 240 }}
          type="search"
        />
        <NativeSelect
          label={t('userList.filters.status')}
          data={[any, ...statuses.map((s) => ({ value: s, label: t(`userList.statuses.${s}`) }))]}
          value={filters.status}
          onChange={(e) => setFilter('status')(e.currentTarget.value)}
          w={130}
        />
        <NativeSelect
          label={t('userList.filters.role')}
          data={[any, ...roles.map((r) => ({ value: r, label: t(`userList.roles.${r}`) }))]}
          value={filters.role}
          onChange={(e) => setFilter('role')(e.currentTarget.value)}
          w={180}
        />
        {domains.length > 0 && (
          <NativeSelect
            label={t('userList.filters.domain')}
            data={[any, ...domains.map((d) => ({ value: d.id, label: d.name }))]}
            value={filters.domain}
            onChange={(e) => setFilter('domain')(e.currentTarget.value)}
            w={170}
          />
        )}
        <NativeSelect
          label={t('userList.filters.tag')}
          data={[any, ...tags.map((tag) => ({ value: tag, label: t(`tags.${tag}`) }))]}
          value={filters.tag}
          onChange={(e) => setFilter('tag')(e.currentTarget.value)}
          w={180}
        />
        <NativeSelect
          label={t('userList.pageSize')}
          data={pageSizes}
          value={limit}
          onChange={(e) => setLimit(e.currentTarget.value)}
          w={100}
        />
        <ColumnChoice columns={columns} onChange={choose} />
        {filtered && (
          <Button variant="default" onClick={() => setFilters(noFilters)}>
            {t('userList.filters.reset')}
          </Button>
        )}
      </Group>
      <ErrorAlert error={error} />
      {saveError !== null && (
        <Alert color="orange" role="alert">
          {t('userList.columnsNotSaved')}
        </Alert>
      )}
      <Paper withBorder pos="relative">
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing="sm" aria-busy={loading}>
            <VisuallyHidden component="caption">{t('userList.caption')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                {header('name', t('userList.columns.name'))}
                {show('email') && header('email', t('userList.columns.email'))}
                {show('username') && header('username', t('userList.columns.username'))}
                {show('tags') && <Table.Th scope="col">{t('userList.columns.tags')}</Table.Th>}
                {show('domain') && <Table.Th scope="col">{t('userList.columns.domain')}</Table.Th>}
                {show('created') && header('created', t('userList.columns.created'))}
                {show('id') && <Table.Th scope="col">{t('userList.columns.id')}</Table.Th>}
                <Table.Th scope="col">
                  <VisuallyHidden>{t('userList.columns.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page?.items.map((user) => (
                <Table.Tr key={user.id}>
                  <Table.Th scope="row" fw={500}>
                    <Anchor
                      component={Link}
                      to={`/admin/users/${encodeURIComponent(user.id)}`}
                      fw={600}
                      size="sm"
                    >
                      {user.displayName}
                    </Anchor>
                    {user.username && !show('username') && (
                      <Text size="xs" c="dimmed">
                        {user.username}
                      </Text>
                    )}
                  </Table.Th>
                  {show('email') && (
                    <Table.Td>
                      <Text size="sm">{user.primaryEmail ?? '–'}</Text>
                    </Table.Td>
                  )}
                  {show('username') && (
                    <Table.Td>
                      <Text size="sm">{user.username ?? '–'}</Text>
                    </Table.Td>
                  )}
                  {show('tags') && (
                    <Table.Td>
                      <Group gap={4}>
                        {user.tags.map((tag) => (
                          <Badge key={tag} color={tagColors[tag]} variant="light" c="dark.7" size="sm">
                            {t(`tags.${tag}`)}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                  )}
                  {show('domain') && (
                    <Table.Td>
                      <Text size="sm">{domainName(domains, user.domainId) ?? '–'}</Text>
                    </Table.Td>
                  )}
                  {show('created') && (
                    <Table.Td>
                      <Text
                        size="sm"
                        component="time"
                        dateTime={user.createdAt}
                        title={format.exact(user.createdAt)}
                      >
                        {format.date(user.createdAt)}
                      </Text>
                    </Table.Td>
                  )}
                  {show('id') && (
                    <Table.Td>
                      <Text size="xs" ff="monospace">
                        {user.id}
                      </Text>
                    </Table.Td>
                  )}
                  <Table.Td>
                    {mayImpersonate && (
                      <ImpersonateAction
                        user={user}
                        certain={certainRefusal(session, user)}
                        state={previewOf(user.id)}
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
            <Loader role="status" aria-label={t('common.loading')} />
          </Group>
        )}
        {page && page.items.length === 0 && !page.nextCursor && (
          <Text p="lg" c="dimmed" ta="center">
            {term || filtered ? t('userList.noMatch') : t('userList.empty')}
          </Text>
        )}
      </Paper>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('userList.pageNumber', { page: format.number(pageIndex + 1) })}
        </Text>
        <Group gap="xs">
          <Button
            variant="default"
            leftSection={<IconChevronLeft size={16} aria-hidden />}
            disabled={pageIndex === 0 || loading}
            onClick={() => setPaging((p) => ({ ...p, index: Math.max(0, p.index - 1) }))}
          >
            {t('userList.previous')}
          </Button>
          <Button
            variant="default"
            rightSection={<IconChevronRight size={16} aria-hidden />}
            disabled={!page?.nextCursor || loading}
            onClick={next}
          >
            {t('userList.next')}
          </Button>
        </Group>
      </Group>
      <ImpersonateDialog
        user={acting}
        preview={acting ? readyPreview(previewOf(acting.id)) : null}
        onClose={() => setActing(null)}
      />
      <CreateUserDialog
        domains={domains}
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(user) => void navigate(`/admin/users/${encodeURIComponent(user.id)}`)}
      />
    </Stack>
  );
}

const readyPreview = (state: PreviewState) => (state.status === 'ready' ? state.preview : null);
