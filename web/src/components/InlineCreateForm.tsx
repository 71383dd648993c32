import type { FormEvent, ReactNode } from 'react';
import { Button, Group, Paper, Stack } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';

// The "new ..." row above a list: fields side by side and a create button; an error that
// belongs to no field shows below them.

export function InlineCreateForm({
  children,
  label,
  onSubmit,
  busy,
  canCreate,
  alert,
}: {
  children: ReactNode;
  label: string;
  onSubmit: () => void;
  busy: boolean;
  canCreate: boolean;
  alert?: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate>
        <Group align="flex-start">
          {children}
          <Button
            type="submit"
            mt={25}
            leftSection={<IconPlus size={16} aria-hidden />}
            disabled={!canCreate}
            loading={busy}
          >
            {label}
          </Button>
        </Group>
        {alert ? <Stack mt="sm">{alert}</Stack> : null}
      </form>
    </Paper>
  );
}
