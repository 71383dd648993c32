import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertTriangle, IconExclamationCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client.ts';

// Pieces the power-user, group, domain and settings pages share: the alert that explains a
// refusal, with "reload" for a conflict (412) that keeps what was typed. (The user pickers are
// in components/UserPicker.tsx.)

/** Codes these pages explain in their own words (orgs.errors.<code>); others as ErrorAlert does. */
const ownCodes = new Set([
  'domain_in_use',
  'domain_name_taken',
  'host_name_taken',
  'group_name_taken',
  'precondition_failed',
  'not_a_power_user',
  'self_administration',
  'validation_failed',
  'not_found',
]);

export function ProblemAlert({ error, onReload }: { error: unknown; onReload?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (isApiError(error) && error.status === 412) {
    return (
      <Alert
        color="orange"
        icon={<IconAlertTriangle aria-hidden />}
        role="alert"
        title={t('orgs.conflict.title')}
      >
        <Text size="sm">{t('orgs.conflict.body')}</Text>
        {onReload && (
          <Group mt="xs">
            <Button size="xs" variant="white" color="orange" onClick={onReload}>
              {t('orgs.conflict.reload')}
            </Button>
          </Group>
        )}
      </Alert>
    );
  }
  let message: string;
  if (!isApiError(error)) message = t('errors.unexpected');
  else if (ownCodes.has(error.code)) message = t(`orgs.errors.${error.code}`);
  else message = t(`errors.codes.${error.code}`, { defaultValue: error.detail });
  return (
    <Alert color="red" icon={<IconExclamationCircle aria-hidden />} role="alert">
      {message}
    </Alert>
  );
}

/** The server's message for a field (`name`, `hostName`, `users.3`, ...), prefix-matched. */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!isApiError(error)) return undefined;
  const hit = error.fieldErrors.find((e) => e.field === field || e.field.startsWith(`${field}.`));
  return hit?.message;
}
