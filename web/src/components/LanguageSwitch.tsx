import { SegmentedControl, VisuallyHidden } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { updateProfile } from '../api/account.ts';
import { isUiLanguage, languages, setLanguage } from '../i18n/index.ts';
import { useSession } from '../session/SessionContext.tsx';

// Switches the whole interface at once: every t() re-renders in the chosen language. The choice
// is kept (issue 10 #7): in this browser, and when signed in as oneself in the profile, whose
// language decides at every sign-in. While acting as someone the subject's profile is not theirs
// to change, so the choice stays in the browser.

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const { session, refresh } = useSession();
  const choose = (language: string) => {
    setLanguage(language, { remember: true });
    if (!session || session.impersonation !== null || !isUiLanguage(language)) return;
    if (session.user.language === language) return;
    // A failure leaves the page in the chosen language; the profile keeps the old one.
    updateProfile({ language }).then(
      () => void refresh(),
      () => undefined,
    );
  };
  return (
    <div role="group" aria-labelledby={id}>
      <VisuallyHidden id={id}>{t('language.label')}</VisuallyHidden>
      <SegmentedControl
        size="xs"
        value={i18n.language}
        onChange={choose}
        data={languages.map((lng) => ({ value: lng, label: t(`language.names.${lng}`) }))}
        aria-label={t('language.label')}
      />
    </div>
  );
}
