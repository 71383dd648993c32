import { useEffect, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  Loader,
  NumberInput,
  Radio,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import { changeSettings, readSettings, type Settings, type SettingsPatch } from '../../api/settings.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { hasPermission } from '../../session/permissions.ts';
import { ProblemAlert, fieldError } from './orgs/shared.tsx';
import { BlockedCapabilities } from './BlockedCapabilities.tsx';
import { ApprovalSettings } from './ApprovalSettings.tsx';

// The application settings: lockout (R-ADM-14), sessions, password policy, login (R-ADM-17),
// impersonation (R-IMP-04, R-IMP-10, R-IMP-11) and notifications (R-IMP-09). settings.read
// shows them, settings.manage changes them. Only what changed is sent, with the ETag of the
// read: when someone else saved meanwhile (412), "reload" takes their version and keeps every
// field changed here.

type Section = keyof Settings;
const sections: Section[] = [
  'lockout',
  'sessions',
  'passwordPolicy',
  'login',
  'impersonation',
  'notifications',
  'approval',
];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Pure: the fields of `values` that differ from `base`, section by section. */
function changes(base: Settings, values: Settings): SettingsPatch {
  const patch: Record<string, Record<string, unknown>> = {};
  for (const section of sections) {
    const from = base[section] as Record<string, unknown>;
    const to = values[section] as Record<string, unknown>;
    for (const field of Object.keys(to)) {
      if (!same(from[field], to[field])) (patch[section] ??= {})[field] = to[field];
    }
  }
  return patch;
}

/** Pure: the fresh settings, with every field that was changed here (from `base`) kept. */
function rebase(base: Settings, values: Settings, fresh: Settings): Settings {
  const next = structuredClone(fresh) as unknown as Record<string, Record<string, unknown>>;
  const patch = changes(base, values) as Record<string, Record<string, unknown>>;
  for (const [section, fields] of Object.entries(patch)) Object.assign(next[section]!, fields);
  return next as unknown as Settings;
}

export function SettingsPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const [base, setBase] = useState<{ settings: Settings; etag: string | null } | null>(null);
  const [values, setValues] = useState<Settings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    let live = true;
    readSettings().then(
      (r) => {
        if (!live) return;
        setBase({ settings: r.data, etag: r.etag });
        setValues(structuredClone(r.data));
      },
      (e: unknown) => {
        if (live) setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, []);

  if (!session) return null;
  const mayManage = hasPermission(session, 'settings.manage');

  if (!base || !values) {
    return (
      <Stack>
        <Title order={1} size="h2">
          {t('settingsPage.title')}
        </Title>
        {error ? (
          <ProblemAlert error={error} />
        ) : (
          <Group justify="center" p="lg">
            <Loader role="status" aria-label={t('common.loading')} />
          </Group>
        )}
      </Stack>
    );
  }

  const set = <S extends Section>(section: S, change: Partial<Settings[S]>) => {
    setSaved(false);
    setValues({ ...values, [section]: { ...values[section], ...change } });
  };
  const patch = changes(base.settings, values);
  const dirty = Object.keys(patch).length > 0;
  const err = (field: string) => fieldError(error, field);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!dirty) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const r = await changeSettings(patch, base.etag);
      setBase({ settings: r.data, etag: r.etag });
      setValues(structuredClone(r.data));
      setSaved(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  // After a conflict: someone else's version underneath, what was typed here on top.
  const reload = async () => {
    try {
      const r = await readSettings();
      setValues(rebase(base.settings, values, r.data));
      setBase({ settings: r.data, etag: r.etag });
      setError(null);
    } catch (e) {
      setError(e);
    }
  };

  const number = (
    label: string,
    section: Section,
    field: string,
    value: number,
    onChange: (n: number) => void,
    limits: { min: number; max: number },
    description?: string,
  ) => (
    <NumberInput
      label={label}
      description={description}
      value={value}
      onChange={(v) => onChange(typeof v === 'number' ? v : Number(v) || 0)}
      min={limits.min}
      max={limits.max}
      allowDecimal={false}
      allowNegative={false}
      clampBehavior="none"
      error={err(`${section}.${field}`)}
    />
  );
  const switchOf = (
    label: string,
    checked: boolean,
    onChange: (v: boolean) => void,
    description?: ReactNode,
  ) => (
    <Switch
      label={label}
      description={description}
      checked={checked}
      onChange={(e) => onChange(e.currentTarget.checked)}
    />
  );

  const validationFailed = isApiError(error) && error.fieldErrors.length > 0;
  return (
    <form onSubmit={(e) => void save(e)} noValidate>
      <Stack>
        <Title order={1} size="h2">
          {t('settingsPage.title')}
        </Title>
        {!mayManage && (
          <Alert color="gray" role="note">
            {t('settingsPage.readOnly')}
          </Alert>
        )}

        <Fieldset legend={t('settingsPage.lockout.legend')} disabled={!mayManage}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {number(
              t('settingsPage.lockout.threshold'),
              'lockout',
              'threshold',
              values.lockout.threshold,
              (n) => set('lockout', { threshold: n }),
              { min: 1, max: 100 },
              t('settingsPage.lockout.thresholdHint'),
            )}
            {number(
              t('settingsPage.lockout.duration'),
              'lockout',
              'durationSeconds',
              Math.round(values.lockout.durationSeconds / 60),
              (n) => set('lockout', { durationSeconds: n * 60 }),
              { min: 1, max: 7 * 24 * 60 },
              t('settingsPage.lockout.durationHint'),
            )}
          </SimpleGrid>
        </Fieldset>

        <Fieldset legend={t('settingsPage.sessions.legend')} disabled={!mayManage}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {number(
              t('settingsPage.sessions.idle'),
              'sessions',
              'idleTimeoutMinutes',
              values.sessions.idleTimeoutMinutes,
              (n) => set('sessions', { idleTimeoutMinutes: n }),
              { min: 1, max: 30 * 24 * 60 },
            )}
            {number(
              t('settingsPage.sessions.absolute'),
              'sessions',
              'absoluteTimeoutHours',
              values.sessions.absoluteTimeoutHours,
              (n) => set('sessions', { absoluteTimeoutHours: n }),
              { min: 1, max: 24 * 90 },
            )}
          </SimpleGrid>
        </Fieldset>

        <Fieldset legend={t('settingsPage.passwordPolicy.legend')} disabled={!mayManage}>
          <Stack>
            {number(
              t('settingsPage.passwordPolicy.minLength'),
              'passwordPolicy',
              'minLength',
              values.passwordPolicy.minLength,
              (n) => set('passwordPolicy', { minLength: n }),
              { min: 8, max: 128 },
            )}
            {switchOf(
              t('settingsPage.passwordPolicy.lowercase'),
              values.passwordPolicy.requireLowercase,
              (v) => set('passwordPolicy', { requireLowercase: v }),
            )}
            {switchOf(
              t('settingsPage.passwordPolicy.uppercase'),
              values.passwordPolicy.requireUppercase,
              (v) => set('passwordPolicy', { requireUppercase: v }),
            )}
            {switchOf(t('settingsPage.passwordPolicy.digit'), values.passwordPolicy.requireDigit, (v) =>
              set('passwordPolicy', { requireDigit: v }),
            )}
            {switchOf(t('settingsPage.passwordPolicy.symbol'), values.passwordPolicy.requireSymbol, (v) =>
              set('passwordPolicy', { requireSymbol: v }),
            )}
          </Stack>
        </Fieldset>

        <Fieldset legend={t('settingsPage.login.legend')} disabled={!mayManage}>
          {switchOf(
            t('settingsPage.login.passwordLogin'),
            values.login.passwordLoginEnabled,
            (v) => set('login', { passwordLoginEnabled: v }),
            t('settingsPage.login.passwordLoginHint'),
          )}
        </Fieldset>

        <Fieldset legend={t('settingsPage.impersonation.legend')} disabled={!mayManage}>
          <Stack>
            {switchOf(
              t('settingsPage.impersonation.reasonRequired'),
              values.impersonation.reasonRequired,
              (v) => set('impersonation', { reasonRequired: v }),
            )}
            {number(
              t('settingsPage.impersonation.maxDuration'),
              'impersonation',
              'maxDurationMinutes',
              values.impersonation.maxDurationMinutes,
              (n) => set('impersonation', { maxDurationMinutes: n }),
              { min: 1, max: 24 * 60 },
            )}
            {number(
              t('stepUp.setting'),
              'impersonation',
              'stepUpMinutes',
              values.impersonation.stepUpMinutes,
              (n) => set('impersonation', { stepUpMinutes: n }),
              { min: 0, max: 24 * 60 },
              t('stepUp.settingHint'),
            )}
            <Radio.Group
              label={t('settingsPage.impersonation.defaultMode')}
              description={t('settingsPage.impersonation.defaultModeHint')}
              value={values.impersonation.defaultMode}
              onChange={(v) => set('impersonation', { defaultMode: v === 'act' ? 'act' : 'read-only' })}
              error={err('impersonation.defaultMode')}
            >
              <Group mt="xs">
                <Radio value="act" label={t('settingsPage.impersonation.modeAct')} />
                <Radio value="read-only" label={t('settingsPage.impersonation.modeReadOnly')} />
              </Group>
            </Radio.Group>
            <Checkbox.Group
              label={t('settingsPage.impersonation.actAllowedFor')}
              description={t('settingsPage.impersonation.actAllowedForHint')}
              value={values.impersonation.actAllowedFor}
              onChange={(list) =>
                set('impersonation', {
                  actAllowedFor: list.filter(
                    (k): k is 'system-administrators' | 'power-users' =>
                      k === 'system-administrators' || k === 'power-users',
                  ),
                })
              }
              error={err('impersonation.actAllowedFor')}
            >
              <Group mt="xs">
                <Checkbox
                  value="system-administrators"
                  label={t('settingsPage.impersonation.kindSystemAdministrators')}
                />
                <Checkbox value="power-users" label={t('settingsPage.impersonation.kindPowerUsers')} />
              </Group>
            </Checkbox.Group>
            <BlockedCapabilities
              value={values.impersonation.blockedCapabilities}
              onChange={(list) => set('impersonation', { blockedCapabilities: list })}
              error={err('impersonation.blockedCapabilities')}
            />
          </Stack>
        </Fieldset>

        <Fieldset legend={t('settingsPage.notifications.legend')} disabled={!mayManage}>
          <Stack>
            {switchOf(
              t('settingsPage.notifications.enabled'),
              values.notifications.enabled,
              (v) => set('notifications', { enabled: v }),
              t('settingsPage.notifications.enabledHint'),
            )}
            {switchOf(t('settingsPage.notifications.email'), values.notifications.emailEnabled, (v) =>
              set('notifications', { emailEnabled: v }),
            )}
          </Stack>
        </Fieldset>

        <ApprovalSettings
          value={values.approval}
          onChange={(change) => set('approval', change)}
          error={err}
          disabled={!mayManage}
        />

        {validationFailed ? (
          <Alert color="red" role="alert">
            {t('settingsPage.fixFields')}
          </Alert>
        ) : (
          <ProblemAlert error={error} onReload={() => void reload()} />
        )}
        {saved && (
          <Alert color="green" icon={<IconCheck aria-hidden />} role="status">
            {t('settingsPage.saved')}
          </Alert>
        )}
        {mayManage && (
          <Group justify="flex-end">
            <Text size="sm" c="dimmed" aria-live="polite">
              {dirty ? t('settingsPage.unsaved') : ''}
            </Text>
            <Button
              variant="default"
              disabled={!dirty || busy}
              onClick={() => {
                setValues(structuredClone(base.settings));
                setError(null);
              }}
            >
              {t('settingsPage.discard')}
            </Button>
            <Button type="submit" loading={busy} disabled={!dirty}>
              {t('settingsPage.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
