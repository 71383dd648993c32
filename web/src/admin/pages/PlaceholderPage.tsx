import { Paper, Stack, Text, Title } from '@mantine/core';
import { useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { adminPages } from '../nav.tsx';

/** Stands in for an admin page that is not built yet; its navigation entry is real. */
export function PlaceholderPage() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const page = adminPages.find((p) => pathname.startsWith(`/admin/${p.path}`));
  return (
    <Stack>
      <Title order={1} size="h2">
        {page ? t(`nav.${page.key}`) : ''}
      </Title>
      <Paper withBorder p="lg">
        <Text>{t('placeholder.body')}</Text>
      </Paper>
    </Stack>
  );
}
