import { Outlet } from 'react-router';
import { Button, Center, Container, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session/SessionContext.tsx';
import { ImpersonationBanner } from './ImpersonationBanner.tsx';

// The frame of every page in both areas: the impersonation banner first, outside the routed
// content, then the page. While the session loads nothing else is shown.

export function RootLayout() {
  const { state } = useSession();
  const { t } = useTranslation();
  return (
    <>
      <ImpersonationBanner />
      {state.status === 'loading' ? (
        <Center h="60vh">
          <Loader aria-label={t('common.loading')} />
        </Center>
      ) : state.status === 'impersonation-lost' ? (
        <ImpersonationLost />
      ) : (
        <Outlet />
      )}
    </>
  );
}

/** The session answered 401 while acting as someone: say so; the banner holds the way back. */
function ImpersonationLost() {
  const { t } = useTranslation();
  return (
    <Container size="sm" py="xl">
      <Paper withBorder p="xl" radius="md">
        <Stack>
          <Title order={1} size="h2">
            {t('impersonationLost.title')}
          </Title>
          <Text>{t('impersonationLost.body')}</Text>
          <Button component="a" href="/admin/sign-in" variant="default" w="fit-content">
            {t('impersonationLost.signIn')}
          </Button>
        </Stack>
      </Paper>
    </Container>
  );
}
