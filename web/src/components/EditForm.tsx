import type { FormEvent, ReactNode } from 'react';
import { Button, Group, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';

// A dialog's form: its fields, the alert of a failed save, and Cancel next to Save.

export function EditForm({
  children,
  alert,
  onSubmit,
  onCancel,
  busy,
  canSave,
  saveLabel,
}: {
  children: ReactNode;
  alert?: ReactNode;
  onSubmit: () => void;
  onCancel: () => void;
  busy: boolean;
  canSave: boolean;
  saveLabel: string;
}) {
  const { t } = useTranslation();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {children}
        {alert}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy} disabled={!canSave}>
            {saveLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
