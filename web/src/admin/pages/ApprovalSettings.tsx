import { useEffect, useState } from 'react';
import { Fieldset, Group, NativeSelect, NumberInput, Radio, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { listGroups, type Group as OrgGroup } from '../../api/orgs.ts';
import type { Settings } from '../../api/settings.ts';

// Issue 12 #3 (consent) and #4 (four eyes): the settings section of the console's SettingsPage.
// All off by default, which is how Behalf behaved before.

type Approval = Settings['approval'];

export function ApprovalSettings({
  value,
  onChange,
  error,
  disabled,
}: {
  value: Approval;
  onChange: (change: Partial<Approval>) => void;
  error: (field: string) => string | undefined;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const [groups, setGroups] = useState<OrgGroup[]>([]);
  useEffect(() => {
    // Without groups.read the list stays empty; the stored choice is still shown.
    listGroups().then(
      (r) => setGroups(r.items),
      () => setGroups([]),
    );
  }, []);
  const groupOptions = [
    { value: '', label: t('approvals.settings.noGroup') },
    ...groups.map((g) => ({ value: g.id, label: g.name })),
  ];
  if (value.fourEyesGroupId && !groups.some((g) => g.id === value.fourEyesGroupId)) {
    groupOptions.push({ value: value.fourEyesGroupId, label: value.fourEyesGroupId });
  }
  return (
    <Fieldset legend={t('approvals.settings.legend')} disabled={disabled}>
      <Stack>
        <Radio.Group
          label={t('approvals.settings.consent')}
          description={t('approvals.settings.consentHint')}
          value={value.consent}
          onChange={(v) => onChange({ consent: v })}
          error={error('approval.consent')}
        >
          <Group mt="xs">
            <Radio value="never" label={t('approvals.settings.consentNever')} />
            <Radio value="privileged" label={t('approvals.settings.consentPrivileged')} />
            <Radio value="always" label={t('approvals.settings.consentAlways')} />
          </Group>
        </Radio.Group>
        <Radio.Group
          label={t('approvals.settings.fourEyes')}
          description={t('approvals.settings.fourEyesHint')}
          value={value.fourEyes}
          onChange={(v) => onChange({ fourEyes: v })}
          error={error('approval.fourEyes')}
        >
          <Group mt="xs">
            <Radio value="off" label={t('approvals.settings.fourEyesOff')} />
            <Radio value="privileged" label={t('approvals.settings.fourEyesPrivileged')} />
            <Radio value="privileged-and-group" label={t('approvals.settings.fourEyesGroup')} />
          </Group>
        </Radio.Group>
        {value.fourEyes === 'privileged-and-group' && (
          <NativeSelect
            label={t('approvals.settings.group')}
            data={groupOptions}
            value={value.fourEyesGroupId ?? ''}
            onChange={(e) => onChange({ fourEyesGroupId: e.currentTarget.value || null })}
            error={error('approval.fourEyesGroupId')}
          />
        )}
        <NumberInput
          label={t('approvals.settings.window')}
          description={t('approvals.settings.windowHint')}
          value={value.windowMinutes}
          onChange={(v) => onChange({ windowMinutes: typeof v === 'number' ? v : Number(v) || 0 })}
          min={5}
          max={7 * 24 * 60}
          allowDecimal={false}
          allowNegative={false}
          clampBehavior="none"
          error={error('approval.windowMinutes')}
        />
      </Stack>
    </Fieldset>
  );
}
