import { SegmentedControl, VisuallyHidden } from '@mantine/core';
import { useId, useRef } from 'react';
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
  // The language this switch sent to the profile, until the session read after it has come
  // back: till then `session` may still hold the language from before the previous switch, and
  // comparing with it would skip the change back (German, then English at once, kept German).
  const pending = useRef<string | null>(null);
  const choose = (language: string) => {
    setLanguage(language, { remember: true });
    if (!session || session.impersonation !== null || !isUiLanguage(language)) return;
    if ((pending.current ?? session.user.language) === language) return;
    pending.current = language;
    // A failure leaves the page in the chosen language; the profile keeps the old one.
    updateProfile({ language })
      .then(() => refresh())
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        if (pending.current === language) pending.current = null;
      });
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
