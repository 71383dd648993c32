import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Group, MultiSelect, Select, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconExclamationCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client.ts';
import { searchUsers, type Member } from '../../../api/orgs.ts';
import type { Role, UserListItem } from '../../../api/types.ts';

// Pieces the power-user, group, domain and settings pages share: a user picker that searches on
// the server (there may be a million users), and the alert that explains a refusal, with
// "reload" for a conflict (412) that keeps what was typed.

/** Codes these pages explain in their own words (orgs.errors.<code>); others as ErrorAlert does. */
const ownCodes = new Set([
  'domain_in_use',
  'domain_name_taken',
  'host_name_taken',
  'group_name_taken',
  'precondition_failed',
  'not_a_power_user',
  'self_administration',
  'validation_failed',
  'not_found',
]);

export function ProblemAlert({ error, onReload }: { error: unknown; onReload?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (isApiError(error) && error.status === 412) {
    return (
      <Alert
        color="orange"
        icon={<IconAlertTriangle aria-hidden />}
        role="alert"
        title={t('orgs.conflict.title')}
      >
        <Text size="sm">{t('orgs.conflict.body')}</Text>
        {onReload && (
          <Group mt="xs">
            <Button size="xs" variant="white" color="orange" onClick={onReload}>
              {t('orgs.conflict.reload')}
            </Button>
          </Group>
        )}
      </Alert>
    );
  }
  let message: string;
  if (!isApiError(error)) message = t('errors.unexpected');
  else if (ownCodes.has(error.code)) message = t(`orgs.errors.${error.code}`);
  else message = t(`errors.codes.${error.code}`, { defaultValue: error.detail });
  return (
    <Alert color="red" icon={<IconExclamationCircle aria-hidden />} role="alert">
      {message}
    </Alert>
  );
}

/** The server's message for a field (`name`, `hostName`, `users.3`, ...), prefix-matched. */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!isApiError(error)) return undefined;
  const hit = error.fieldErrors.find((e) => e.field === field || e.field.startsWith(`${field}.`));
  return hit?.message;
}

const labelOf = (u: { displayName: string; primaryEmail: string | null }) =>
  u.primaryEmail ? `${u.displayName} <${u.primaryEmail}>` : u.displayName;

/** Users matching what is typed, from the server (debounced). */
function useUserSearch(search: string, role?: Role) {
  const [term] = useDebouncedValue(search.trim(), 250);
  const [found, setFound] = useState<UserListItem[]>([]);
  useEffect(() => {
    let live = true;
    searchUsers(term, role ? { role } : {}).then(
      (page) => live && setFound(page.items),
      () => live && setFound([]),
    );
    return () => {
      live = false;
    };
  }, [term, role]);
  return found;
}

/** Picks any number of users; the chosen ones stay as pills, the options come from the server. */
export function UserMultiPicker({
  label,
  description,
  value,
  onChange,
  error,
  disabled,
}: {
  label: string;
  description?: string;
  value: Member[];
  onChange: (users: Member[]) => void;
  error?: string;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const found = useUserSearch(search);
  const known = useMemo(() => {
    const map = new Map<string, Member>();
    for (const u of value) map.set(u.id, u);
    for (const u of found)
      map.set(u.id, { id: u.id, displayName: u.displayName, primaryEmail: u.primaryEmail });
    return map;
  }, [value, found]);
  const data = [...known.values()].map((u) => ({ value: u.id, label: labelOf(u) }));
  return (
    <MultiSelect
      label={label}
      description={description}
      placeholder={t('orgs.picker.placeholder')}
      nothingFoundMessage={t('orgs.picker.nothingFound')}
      searchable
      clearable
      clearButtonProps={{ 'aria-label': t('orgs.picker.clear') }}
      data={data}
      // The server has filtered already: show what it found.
      filter={({ options }) => options}
      searchValue={search}
      onSearchChange={setSearch}
      value={value.map((u) => u.id)}
      onChange={(ids) => {
        onChange(ids.map((i) => known.get(i)).filter((u): u is Member => u !== undefined));
        setSearch('');
      }}
      error={error}
      disabled={disabled}
      maxDropdownHeight={260}
    />
  );
}

/** Picks one user (e.g. to promote), searching on the server. */
export function UserPicker({
  label,
  value,
  onChange,
  role,
}: {
  label: string;
  value: UserListItem | null;
  onChange: (user: UserListItem | null) => void;
  role?: Role;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const found = useUserSearch(search, role);
  const options = value && !found.some((u) => u.id === value.id) ? [value, ...found] : found;
  return (
    <Select
      label={label}
      placeholder={t('orgs.picker.placeholder')}
      nothingFoundMessage={t('orgs.picker.nothingFound')}
      searchable
      clearable
      clearButtonProps={{ 'aria-label': t('orgs.picker.clear') }}
      data={options.map((u) => ({ value: u.id, label: labelOf(u) }))}
      filter={({ options: o }) => o}
      searchValue={search}
      onSearchChange={setSearch}
      value={value?.id ?? null}
      onChange={(id) => onChange(options.find((u) => u.id === id) ?? null)}
      style={{ flex: 1, minWidth: 280 }}
    />
  );
}
