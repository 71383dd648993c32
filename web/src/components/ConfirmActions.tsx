import type { ReactNode } from 'react';
import { Button, Group, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';

// The body of a confirmation dialog: what will happen, the error of a failed try, and Cancel
// (focused first, so Enter does not confirm by accident) next to the red confirming button.

export function ConfirmActions({
  children,
  alert,
  confirmLabel,
  onConfirm,
  onCancel,
  busy,
  cancelDisabledWhileBusy = false,
}: {
  children: ReactNode;
  alert?: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy: boolean;
  cancelDisabledWhileBusy?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Stack>
      {children}
      {alert}
      <Group justify="flex-end">
        <Button
          variant="default"
          onClick={onCancel}
          disabled={cancelDisabledWhileBusy ? busy : undefined}
          data-autofocus
        >
          {t('common.cancel')}
        </Button>
        <Button color="red" loading={busy} onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </Group>
    </Stack>
  );
}
