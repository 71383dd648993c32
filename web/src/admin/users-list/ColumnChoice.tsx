import { Button, Checkbox, Popover, Stack } from '@mantine/core';
import { IconColumns } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { optionalColumns, type OptionalColumn } from './columns.ts';

/** Which optional columns of the user list are shown (remembered per administrator). */
export function ColumnChoice({
  columns,
  onChange,
}: {
  columns: OptionalColumn[];
  onChange: (columns: string[]) => void;
}) {
  const { t } = useTranslation();
  return (
    <Popover position="bottom-end" shadow="md" trapFocus withinPortal>
      <Popover.Target>
        <Button variant="default" leftSection={<IconColumns size={16} aria-hidden />}>
          {t('userList.columnChoice')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Checkbox.Group label={t('userList.columnChoiceLegend')} value={columns} onChange={onChange}>
          <Stack gap="xs" mt="xs">
            {optionalColumns.map((c) => (
              <Checkbox key={c} value={c} label={t(`userList.columns.${c}`)} />
            ))}
          </Stack>
        </Checkbox.Group>
      </Popover.Dropdown>
    </Popover>
  );
}
