import { useState } from 'react';
import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Member } from '../../../api/orgs.ts';
import { labelOf, useUserSearch } from '../../../components/UserPicker.tsx';

// Issue 10 #11: the audit trail's person filter. People are found by name or e-mail address as
// they are typed (the server searches), and shown by name and address, never by ID.

export function PersonPicker({
  value,
  onChange,
}: {
  value: Member | null;
  onChange: (person: Member | null) => void;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const found = useUserSearch(search);
  const options: Member[] = value && !found.some((u) => u.id === value.id) ? [value, ...found] : found;
  return (
    <Select
      label={t('auditPeople.person')}
      description={t('auditPeople.personHint')}
      placeholder={t('orgs.picker.placeholder')}
      nothingFoundMessage={t('orgs.picker.nothingFound')}
      searchable
      clearable
      clearButtonProps={{ 'aria-label': t('orgs.picker.clear') }}
      data={options.map((u) => ({ value: u.id, label: labelOf(u) }))}
      // The server has filtered already: show what it found.
      filter={({ options: o }) => o}
      searchValue={search}
      onSearchChange={setSearch}
      value={value?.id ?? null}
      onChange={(id) => {
        const u = options.find((o) => o.id === id);
        onChange(u ? { id: u.id, displayName: u.displayName, primaryEmail: u.primaryEmail } : null);
      }}
    />
  );
}
