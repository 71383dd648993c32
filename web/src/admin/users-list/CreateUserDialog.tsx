import { useState } from 'react';
import type { FormEvent } from 'react';
import { Button, Group, Modal, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import { createUser, type CreateUserInput, type DomainSummary } from '../../api/users.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

// R-ADM-01: create a user with the minimal profile. The server validates; its messages appear at
// the fields they concern (and anything else above the buttons). On success the caller opens the
// new user's page.

const genders = ['unspecified', 'female', 'male', 'diverse'] as const;
const languages = ['en', 'de'] as const;

export function CreateUserDialog({
  domains,
  opened,
  onClose,
  onCreated,
}: {
  /** Offered when there are any (issue 10 #2): the new user's domain. */
  domains: DomainSummary[];
  opened: boolean;
  onClose: () => void;
  onCreated: (user: { id: string }) => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('createUser.title')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {opened && <CreateUserForm domains={domains} onClose={onClose} onCreated={onCreated} />}
    </Modal>
  );
}

function CreateUserForm({
  domains,
  onClose,
  onCreated,
}: {
  domains: DomainSummary[];
  onClose: () => void;
  onCreated: (user: { id: string }) => void;
}) {
  const { t, i18n } = useTranslation();
  const language: CreateUserInput['language'] = i18n.language === 'de' ? 'de' : 'en';
  const [form, setForm] = useState<
    Omit<CreateUserInput, 'username' | 'domainId'> & { username: string; domainId: string }
  >({
    email: '',
    username: '',
    firstName: '',
    lastName: '',
    gender: 'unspecified',
    language,
    domainId: '',
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (field: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [field]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const username = form.username.trim();
      const created = await createUser({
        email: form.email.trim(),
        firstName: form.firstName.trim(),
        lastName: form.lastName.trim(),
        gender: form.gender,
        language: form.language,
        ...(username ? { username } : {}),
        ...(form.domainId ? { domainId: form.domainId } : {}),
      });
      onCreated(created);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const fieldError = (field: string) => (isApiError(error) ? error.fieldError(field) : undefined);
  // The server's field messages are shown at their fields; anything else above the buttons.
  const shownAtFields =
    isApiError(error) &&
    error.fieldErrors.length > 0 &&
    error.fieldErrors.every((e) =>
      ['email', 'username', 'firstName', 'lastName', 'gender', 'language', 'domainId'].includes(e.field),
    );
  const input = (field: 'email' | 'username' | 'firstName' | 'lastName') => ({
    value: form[field],
    onChange: (e: { currentTarget: { value: string } }) => set(field)(e.currentTarget.value),
    error: fieldError(field),
  });
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack>
        <Text size="sm">{t('createUser.explain')}</Text>
        <TextInput
          label={t('createUser.email')}
          type="email"
          autoComplete="off"
          required
          data-autofocus
          {...input('email')}
        />
        <TextInput
          label={t('createUser.username')}
          description={t('createUser.usernameHint')}
          autoComplete="off"
          {...input('username')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('createUser.firstName')} required autoComplete="off" {...input('firstName')} />
          <TextInput label={t('createUser.lastName')} required autoComplete="off" {...input('lastName')} />
          <NativeSelect
            label={t('createUser.gender')}
            data={genders.map((g) => ({ value: g, label: t(`createUser.genders.${g}`) }))}
            value={form.gender}
            onChange={(e) => set('gender')(e.currentTarget.value)}
            error={fieldError('gender')}
          />
          <NativeSelect
            label={t('createUser.language')}
            data={languages.map((l) => ({ value: l, label: t(`createUser.languages.${l}`) }))}
            value={form.language}
            onChange={(e) => set('language')(e.currentTarget.value)}
            error={fieldError('language')}
          />
          {domains.length > 0 && (
            <NativeSelect
              label={t('createUser.domain')}
              data={[
                { value: '', label: t('createUser.noDomain') },
                ...domains.map((d) => ({ value: d.id, label: d.name })),
              ]}
              value={form.domainId}
              onChange={(e) => set('domainId')(e.currentTarget.value)}
              error={fieldError('domainId')}
            />
          )}
        </SimpleGrid>
        {!shownAtFields && <ErrorAlert error={error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('createUser.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
