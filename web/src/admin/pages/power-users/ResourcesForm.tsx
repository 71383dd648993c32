import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Button, Group, Loader, MultiSelect, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  getResources,
  listDomains,
  listGroups,
  setResources,
  type Domain,
  type Group as OrgGroup,
  type Member,
  type PowerUserResources,
} from '../../../api/orgs.ts';
import type { UserListItem } from '../../../api/types.ts';
import { UserMultiPicker } from '../../../components/UserPicker.tsx';
import { ProblemAlert, fieldError } from '../orgs/shared.tsx';

// A power user's users, groups and domains, read with their version and saved with If-Match;
// after a conflict "reload" takes the fresh ETag and keeps what was chosen here.

interface Choice {
  users: Member[];
  groups: string[];
  domains: string[];
}

const choiceOf = (r: PowerUserResources): Choice => ({
  users: r.users,
  groups: r.groups.map((g) => g.id),
  domains: r.domains.map((d) => d.id),
});

/** A power user's users, groups and domains; saved at once with the ETag of the read. */
export function ResourcesForm({ user, onDone }: { user: UserListItem; onDone: () => void }) {
  const { t } = useTranslation();
  const [loaded, setLoaded] = useState<{ choice: Choice; etag: string | null } | null>(null);
  const [choice, setChoice] = useState<Choice | null>(null);
  const [groups, setGroups] = useState<OrgGroup[]>([]);
  const [domains, setDomains] = useState<Domain[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    Promise.all([getResources(user.id), listGroups(), listDomains()]).then(
      ([r, g, d]) => {
        if (!live) return;
        setLoaded({ choice: choiceOf(r.data), etag: r.etag });
        setChoice(choiceOf(r.data));
        setGroups(g.items);
        setDomains(d.items);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [user.id]);

  // After a conflict: take the fresh version and its ETag, keep what was chosen here.
  const reload = async () => {
    try {
      const r = await getResources(user.id);
      setLoaded({ choice: choiceOf(r.data), etag: r.etag });
      setError(null);
    } catch (e) {
      setError(e);
    }
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!choice || !loaded) return;
    setBusy(true);
    setError(null);
    try {
      await setResources(
        user.id,
        { users: choice.users.map((u) => u.id), groups: choice.groups, domains: choice.domains },
        loaded.etag,
      );
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  if (!choice) {
    return error ? (
      <ProblemAlert error={error} />
    ) : (
      <Group justify="center" p="lg">
        <Loader role="status" aria-label={t('common.loading')} />
      </Group>
    );
  }
  return (
    <form onSubmit={(e) => void save(e)} noValidate>
      <Stack>
        <Text size="sm">{t('powerUsersPage.resourcesExplain', { name: user.displayName })}</Text>
        <UserMultiPicker
          label={t('powerUsersPage.assignedUsers')}
          value={choice.users}
          onChange={(users) => setChoice({ ...choice, users })}
          error={fieldError(error, 'users')}
        />
        {groups.length === 0 ? (
          // An empty choice would be an empty listbox, which screen readers cannot use.
          <Text size="sm">
            <b>{t('powerUsersPage.assignedGroups')}:</b> {t('powerUsersPage.noGroups')}
          </Text>
        ) : (
          <MultiSelect
            label={t('powerUsersPage.assignedGroups')}
            description={t('powerUsersPage.assignedGroupsHint')}
            placeholder={t('powerUsersPage.choose')}
            data={groups.map((g) => ({ value: g.id, label: g.name }))}
            value={choice.groups}
            onChange={(ids) => setChoice({ ...choice, groups: ids })}
            searchable
            clearable
            clearButtonProps={{ 'aria-label': t('orgs.picker.clear') }}
            nothingFoundMessage={t('orgs.picker.nothingFound')}
            error={fieldError(error, 'groups')}
          />
        )}
        {domains.length === 0 ? (
          // An empty choice would be an empty listbox, which screen readers cannot use.
          <Text size="sm">
            <b>{t('powerUsersPage.assignedDomains')}:</b> {t('powerUsersPage.noDomains')}
          </Text>
        ) : (
          <MultiSelect
            label={t('powerUsersPage.assignedDomains')}
            description={t('powerUsersPage.assignedDomainsHint')}
            placeholder={t('powerUsersPage.choose')}
            data={domains.map((d) => ({
              value: d.id,
              label: d.hostName ? `${d.name} (${d.hostName})` : d.name,
            }))}
            value={choice.domains}
            onChange={(ids) => setChoice({ ...choice, domains: ids })}
            searchable
            clearable
            clearButtonProps={{ 'aria-label': t('orgs.picker.clear') }}
            nothingFoundMessage={t('orgs.picker.nothingFound')}
            error={fieldError(error, 'domains')}
          />
        )}
        <ProblemAlert error={error} onReload={() => void reload()} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('orgs.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
