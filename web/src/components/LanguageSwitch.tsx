import { SegmentedControl, VisuallyHidden } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { languages, setLanguage } from '../i18n/index.ts';

// Switches the whole interface at once: every t() re-renders in the chosen language.
// The choice holds for this page; the user's saved language (My Profile) decides at sign-in.

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <div role="group" aria-labelledby={id}>
      <VisuallyHidden id={id}>{t('language.label')}</VisuallyHidden>
      <SegmentedControl
        size="xs"
        value={i18n.language}
        onChange={setLanguage}
        data={languages.map((lng) => ({ value: lng, label: t(`language.names.${lng}`) }))}
        aria-label={t('language.label')}
      />
    </div>
  );
}
