import { useEffect, useState } from 'react';
import { Anchor, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { getProfile, type Profile } from '../api/account.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useClientContext } from './ClientLayout.tsx';
import { PersonalSection } from './profile/PersonalSection.tsx';
import { EmailsSection } from './profile/EmailsSection.tsx';
import { PasswordSection } from './profile/PasswordSection.tsx';
import { TwoFactorSection } from './profile/TwoFactorSection.tsx';
import { TermsSection } from './profile/TermsSection.tsx';
import { SessionsSection } from './profile/SessionsSection.tsx';
import { WhoActedSection } from './profile/WhoActedSection.tsx';
import { ConsentRequestsSection } from './profile/ConsentRequestsSection.tsx';
import { LinkedAccountsSection } from './profile/LinkedAccountsSection.tsx';
import { Section } from './profile/shared.tsx';

/**
 * My Profile (R-ADM-16): everything a user manages about their own account. While an
 * administrator acts as the user, what is blocked (R-IMP-04) says so instead of offering a
 * button that would fail.
 */
export function ProfilePage() {
  const { t } = useTranslation();
  const [profile, setProfile] = useState<Profile | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { notifications } = useClientContext();

  useEffect(() => {
    getProfile().then(setProfile, setError);
  }, []);

  return (
    <Stack maw={960}>
      <Title order={1} size="h2">
        {t('profile.title')}
      </Title>
      <ErrorAlert error={error} />
      {!profile && !error && <Loader role="status" aria-label={t('common.loading')} />}
      {profile && (
        <>
          <PersonalSection profile={profile} onSaved={setProfile} />
          <EmailsSection profile={profile} onSaved={setProfile} />
          <LinkedAccountsSection />
          <PasswordSection profile={profile} />
          <TwoFactorSection profile={profile} onSaved={setProfile} />
          <TermsSection />
          <SessionsSection />
          <ConsentRequestsSection />
          <WhoActedSection />
          <Section id="profile-notifications" title={t('inbox.title')}>
            <Group>
              <Text size="sm">
                {t('notifications.unreadCount', { count: notifications?.unreadCount ?? 0 })}
              </Text>
              <Anchor component={Link} to="/notifications" size="sm">
                {t('profile.openNotifications')}
              </Anchor>
            </Group>
          </Section>
        </>
      )}
    </Stack>
  );
}
