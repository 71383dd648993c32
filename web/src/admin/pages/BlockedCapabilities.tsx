import { useEffect, useState } from 'react';
import { Input, List, Stack, TagsInput } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { readCapabilityCatalogue, type CapabilityCatalogue } from '../../api/settings.ts';

// R-IMP-04 on the settings page: the core capabilities are shown fixed (no setting unblocks
// them, the server adds them back whatever is sent); only integrations' additions are edited.
// The list sent keeps the core first, as the server answers it, so "unsaved changes" stays honest.

/** A translated name for a core capability; the server's English description otherwise. */
function coreLabel(
  t: (key: string, options: { defaultValue: string }) => string,
  name: string,
  description: string,
) {
  return t(`settingsPage.impersonation.capabilities.${name.replace(/\./g, '_')}`, {
    defaultValue: description,
  });
}

export function BlockedCapabilities({
  value,
  onChange,
  error,
}: {
  value: string[];
  onChange: (list: string[]) => void;
  error: string | undefined;
}) {
  const { t } = useTranslation();
  const [catalogue, setCatalogue] = useState<CapabilityCatalogue | null>(null);
  useEffect(() => {
    let live = true;
    // Without the catalogue every name stays editable; the server keeps the core blocked anyway.
    readCapabilityCatalogue().then(
      (c) => live && setCatalogue(c),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  const core = catalogue?.core ?? [];
  const coreNames = core.map((c) => c.name);
  const additions = value.filter((name) => !coreNames.includes(name));

  return (
    <Stack gap="xs">
      {core.length > 0 && (
        <Input.Wrapper
          label={t('settingsPage.impersonation.core')}
          description={t('settingsPage.impersonation.coreHint')}
        >
          <List
            size="sm"
            mt={6}
            spacing={2}
            icon={<IconLock size={14} aria-hidden />}
            data-testid="core-capabilities"
          >
            {core.map((c) => (
              <List.Item key={c.name}>
                <span data-capability={c.name}>{coreLabel(t, c.name, c.description)}</span>
              </List.Item>
            ))}
          </List>
        </Input.Wrapper>
      )}
      <TagsInput
        label={t('settingsPage.impersonation.blocked')}
        description={t('settingsPage.impersonation.blockedHint')}
        placeholder={t('settingsPage.impersonation.blockedPlaceholder')}
        value={additions}
        onChange={(list) => onChange([...coreNames, ...list.map((c) => c.trim())])}
        splitChars={[',', ' ']}
        clearable
        maxTags={catalogue?.extension.maxAdditions ?? 100}
        error={error}
        clearButtonProps={{ 'aria-label': t('settingsPage.impersonation.clear') }}
      />
    </Stack>
  );
}
