import type { ReactNode } from 'react';
import { Alert, Card, Text, Title } from '@mantine/core';
import { IconExclamationCircle, IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useSession } from '../../session/SessionContext.tsx';

// Pieces every section of My Profile uses.

/** R-IMP-04: true while acting as this user and the capability is on the blocked list. */
export function useBlocked(capability: string): boolean {
  const { session } = useSession();
  return !!session?.impersonation && session.blockedCapabilities.includes(capability);
}

/** Says why a function is not offered, instead of a button that would fail (R-IMP-04). */
export function BlockedNotice() {
  const { t } = useTranslation();
  return (
    <Alert color="gray" icon={<IconLock aria-hidden />} data-testid="blocked-notice">
      {t('profile.blocked')}
    </Alert>
  );
}

/** The codes of My Profile, with their own texts in both languages; others as ErrorAlert shows. */
const ownCodes = new Set([
  'wrong_password',
  'invalid_code',
  'email_not_verified',
  'no_pending_enrolment',
  'username_taken',
  'email_exists',
  'email_taken',
  'password_policy',
  'blocked_during_impersonation',
  'last_sign_in_method',
]);

export function ProfileError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (isApiError(error) && ownCodes.has(error.code)) {
    // The broken rules, in the interface's language (issue 10 #8), not the server's English detail.
    const extra =
      error.code === 'password_policy' ? ` ${error.fieldErrors.map((e) => e.message).join('; ')}` : '';
    return (
      <Alert color="red" icon={<IconExclamationCircle aria-hidden />} role="alert">
        {t(`profile.errors.${error.code}`) + extra}
      </Alert>
    );
  }
  return <ErrorAlert error={error} />;
}

/** The message of a field's error, translated where My Profile knows the code. */
export function fieldMessage(error: unknown, field: string, t: (k: string) => string): string | undefined {
  if (!isApiError(error)) return undefined;
  const own = error.fieldErrors.find((f) => f.field === field);
  if (!own) return undefined;
  return ownCodes.has(error.code) ? t(`profile.errors.${error.code}`) : own.message;
}

export function Section({
  id,
  title,
  description,
  children,
}: {
  id: string;
  title: string;
  description?: string;
  children: ReactNode;
}) {
  return (
    <Card withBorder component="section" aria-labelledby={`${id}-title`} id={id} padding="lg">
      <Title order={2} size="h4" id={`${id}-title`} mb={description ? 4 : 'sm'}>
        {title}
      </Title>
      {description && (
        <Text size="sm" c="dimmed" mb="sm">
          {description}
        </Text>
      )}
      {children}
    </Card>
  );
}
