import { Text, Tooltip } from '@mantine/core';
import { useFormat } from '../i18n/format.ts';

/** A point in time, in the interface's language; the exact time on hover and focus. */
export function When({ iso }: { iso: string | null }) {
  const format = useFormat();
  if (!iso) return <Text size="sm">–</Text>;
  return (
    <Tooltip label={format.exact(iso)} openDelay={300}>
      <Text size="sm" component="time" dateTime={iso} tabIndex={0}>
        {format.dateTime(iso)}
      </Text>
    </Tooltip>
  );
}
