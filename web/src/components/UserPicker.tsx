import { useEffect, useMemo, useState } from 'react';
import { MultiSelect, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { searchUsers, type Member } from '../api/orgs.ts';
import type { Role, UserListItem } from '../api/types.ts';

// User pickers that search on the server (there may be a million users): one user, or any
// number of them as pills.

export const labelOf = (u: { displayName: string; primaryEmail: string | null }) =>
  u.primaryEmail ? `${u.displayName} <${u.primaryEmail}>` : u.displayName;

/** Users matching what is typed, from the server (debounced). */
export function useUserSearch(search: string, role?: Role) {
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
  // Closed after each pick (issue 10 #17): left open, the list lay over the dialog's Save
  // button, so the click meant for Save chose another user. Typing or clicking opens it again.
  const [opened, setOpened] = useState(false);
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
      dropdownOpened={opened}
      onDropdownOpen={() => setOpened(true)}
      onDropdownClose={() => setOpened(false)}
      onOptionSubmit={() => setOpened(false)}
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
