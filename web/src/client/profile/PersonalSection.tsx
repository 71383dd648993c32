import { useState, type FormEvent } from 'react';
import { Button, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { updateProfile, type Gender, type Profile } from '../../api/account.ts';
import { setLanguage } from '../../i18n/index.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { fieldMessage, ProfileError, Section } from './shared.tsx';

const genders: Gender[] = ['female', 'male', 'diverse', 'unspecified'];

/** Names, gender, username (saved together) and the language (saved at once, R-ADM-16). */
export function PersonalSection({ profile, onSaved }: { profile: Profile; onSaved: (p: Profile) => void }) {
  const { t } = useTranslation();
  const { refresh } = useSession();
  const [firstName, setFirstName] = useState(profile.firstName);
  const [lastName, setLastName] = useState(profile.lastName);
  const [gender, setGender] = useState<Gender>(profile.gender);
  const [username, setUsername] = useState(profile.username ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [languageError, setLanguageError] = useState<unknown>(null);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setSaved(false);
    try {
      const next = await updateProfile({
        firstName,
        lastName,
        gender,
        ...(username.trim() !== '' && username !== profile.username ? { username } : {}),
      });
      setError(null);
      setSaved(true);
      onSaved(next);
      await refresh();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  /** The whole interface switches at once, and the choice is kept in the profile. */
  const changeLanguage = async (language: 'de' | 'en') => {
    setLanguage(language, { remember: true });
    try {
      onSaved(await updateProfile({ language }));
      setLanguageError(null);
      await refresh();
    } catch (err) {
      setLanguageError(err);
    }
  };

  return (
    <Section id="personal" title={t('profile.personal.title')}>
      <Stack gap="md">
        <form onSubmit={(e) => void save(e)} noValidate>
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('profile.personal.firstName')}
                value={firstName}
                onChange={(e) => setFirstName(e.currentTarget.value)}
                error={fieldMessage(error, 'firstName', t)}
                required
                maxLength={100}
              />
              <TextInput
                label={t('profile.personal.lastName')}
                value={lastName}
                onChange={(e) => setLastName(e.currentTarget.value)}
                error={fieldMessage(error, 'lastName', t)}
                required
                maxLength={100}
              />
              <NativeSelect
                label={t('profile.personal.gender')}
                value={gender}
                onChange={(e) => setGender(e.currentTarget.value as Gender)}
                data={genders.map((g) => ({ value: g, label: t(`profile.genders.${g}`) }))}
              />
              <TextInput
                label={t('profile.personal.username')}
                description={t('profile.personal.usernameHelp')}
                value={username}
                onChange={(e) => setUsername(e.currentTarget.value)}
                error={fieldMessage(error, 'username', t)}
                maxLength={64}
                autoComplete="username"
              />
            </SimpleGrid>
            <ProfileError error={error && !fieldMessage(error, 'username', t) ? error : null} />
            <Group>
              <Button type="submit" loading={busy}>
                {t('profile.personal.save')}
              </Button>
              {saved && (
                <Text size="sm" c="teal.8" role="status">
                  {t('profile.saved')}
                </Text>
              )}
            </Group>
          </Stack>
        </form>
        <NativeSelect
          label={t('profile.personal.language')}
          description={t('profile.personal.languageHelp')}
          value={profile.language}
          onChange={(e) => void changeLanguage(e.currentTarget.value as 'de' | 'en')}
          data={(['en', 'de'] as const).map((l) => ({ value: l, label: t(`language.names.${l}`) }))}
          maw={320}
        />
        <ProfileError error={languageError} />
      </Stack>
    </Section>
  );
}
