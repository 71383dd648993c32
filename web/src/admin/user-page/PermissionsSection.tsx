import { useState } from 'react';
import { Button, Checkbox, Group, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../api/types.ts';
import { setPermissions, setRole } from '../../api/user-detail.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { isSuperadmin } from '../../session/permissions.ts';
import { EditError, Refused, refusal, Section, useDraft, useUserPage } from './shared.tsx';

// R-ADM-07: the catalogue of src/permissions/catalogue.ts, in its order.
export const generalPermissions = ['support', 'help'] as const;
export const systemPermissions = [
  'users.read',
  'users.create',
  'users.update',
  'users.credentials',
  'users.permissions',
  'users.delete',
  'users.impersonate',
  'settings.read',
  'settings.manage',
  'notifications.manage',
  'audit.read',
  'groups.manage',
  'domains.manage',
  'apps.manage',
] as const;

const roles: Role[] = ['user', 'power-user', 'superadmin'];

const same = (a: string[], b: string[]) => [...a].sort().join() === [...b].sort().join();

export function PermissionsSection() {
  const { t } = useTranslation();
  const { session } = useSession();
  const { user, etag, apply, reload } = useUserPage();
  // Plain names while editing: the checkboxes hand back strings; the server checks the catalogue.
  const [draft, setDraft] = useDraft<{ general: string[]; system: string[] }>({
    general: user.permissions.general,
    system: user.permissions.system,
  });
  const { general, system } = draft;
  const setGeneral = (v: string[]) => setDraft({ general: v });
  const setSystem = (v: string[]) => setDraft({ system: v });
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  if (!session) return null;
  const refused = refusal(session, user, 'permissions');
  // A system administrator grants only what they hold themselves (`escalation` otherwise).
  const grantable = (p: string) => isSuperadmin(session) || session.permissions.system.includes(p);
  const dirty = !same(general, user.permissions.general) || !same(system, user.permissions.system);

  const save = async () => {
    setSaving(true);
    setSaved(false);
    try {
      apply(await setPermissions(user.id, etag, { general, system }));
      setError(null);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Section title={t('userPage.permissions.title')}>
      <Refused reason={refused} />
      <Checkbox.Group
        label={t('userPage.permissions.general')}
        description={t('userPage.permissions.generalHint')}
        value={general}
        onChange={(v) => {
          setSaved(false);
          setGeneral(v);
        }}
      >
        <Group mt="xs">
          {generalPermissions.map((p) => (
            <Checkbox key={p} value={p} label={t(`userPage.permissionNames.${p}`)} disabled={!!refused} />
          ))}
        </Group>
      </Checkbox.Group>
      <Checkbox.Group
        label={t('userPage.permissions.system')}
        description={t('userPage.permissions.systemHint')}
        value={system}
        onChange={(v) => {
          setSaved(false);
          setSystem(v);
        }}
      >
        <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
          {systemPermissions.map((p) => (
            <Checkbox
              key={p}
              value={p}
              label={t(`userPage.permissionNames.${p}`)}
              disabled={!!refused || !grantable(p)}
            />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
      <EditError error={error} onReload={() => void reload().then(() => setError(null), setError)} />
      {saved && (
        <Text size="sm" c="teal.9" role="status">
          {t('userPage.saved')}
        </Text>
      )}
      {!refused && (
        <Group>
          <Button onClick={() => void save()} loading={saving} disabled={!dirty}>
            {t('userPage.permissions.save')}
          </Button>
        </Group>
      )}
      {isSuperadmin(session) && <RoleField />}
    </Section>
  );
}

/** Roles decide who administers whom: superadmins only set them (R-IMP-02). */
function RoleField() {
  const { t } = useTranslation();
  const { session } = useSession();
  const { user, etag, apply, reload } = useUserPage();
  const [draft, setDraft] = useDraft<{ role: Role }>({ role: user.role });
  const role = draft.role;
  const setRoleValue = (v: Role) => setDraft({ role: v });
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  if (!session) return null;
  const refused = refusal(session, user, 'role');

  const save = async () => {
    setSaving(true);
    try {
      apply(await setRole(user.id, etag, role));
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack gap="xs">
      <Group align="flex-end">
        <Select
          label={t('userPage.permissions.role')}
          description={t('userPage.permissions.roleHint')}
          data={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          value={role}
          onChange={(v) => v && setRoleValue(v)}
          allowDeselect={false}
          disabled={!!refused}
          w={260}
        />
        {!refused && (
          <Button
            variant="default"
            onClick={() => void save()}
            loading={saving}
            disabled={role === user.role}
          >
            {t('userPage.permissions.saveRole')}
          </Button>
        )}
      </Group>
      <EditError error={error} onReload={() => void reload().then(() => setError(null), setError)} />
    </Stack>
  );
}
