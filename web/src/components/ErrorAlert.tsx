import { Alert } from '@mantine/core';
import { IconExclamationCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client.ts';

/** Shows what went wrong: the server's own explanation (problem `detail`) when there is one. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const message = isApiError(error)
    ? t(`errors.codes.${error.code}`, { defaultValue: error.detail })
    : t('errors.unexpected');
  return (
    <Alert color="red" icon={<IconExclamationCircle aria-hidden />} title={title} role="alert">
      {message}
    </Alert>
  );
}
