import { Link, Outlet } from 'react-router';
import { Alert, Anchor, Button, Center, Container, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session/SessionContext.tsx';
import { ImpersonationBanner } from './ImpersonationBanner.tsx';
import { useFormat } from '../i18n/format.ts';

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
          <Loader role="status" aria-label={t('common.loading')} />
        </Center>
      ) : state.status === 'impersonation-lost' ? (
        <ImpersonationLost />
      ) : (
        <>
          <ImpersonationEnded />
          <Outlet />
        </>
      )}
    </>
  );
}

/**
 * Issue 10 #5: an impersonation of this administrator's ended while this page was away (its time
 * ran out, or it was ended elsewhere). Their own session is back; say what ended and lead to the
 * page where it was started (R-IMP-06), instead of dropping them at the sign-in form.
 */
function ImpersonationEnded() {
  const { t } = useTranslation();
  const format = useFormat();
  const { ended, dismissEnded, session } = useSession();
  if (!ended || !session || session.impersonation) return null;
  const reason = t(`impersonations.endReasons.${ended.endReason}`, { defaultValue: ended.endReason });
  return (
    <Container size="lg" pt="md">
      <Alert
        color="blue"
        role="status"
        data-testid="impersonation-ended"
        title={t('impersonationEnded.title', { subject: ended.subject })}
        withCloseButton
        closeButtonLabel={t('impersonationEnded.dismiss')}
        onClose={dismissEnded}
      >
        <Stack gap="xs">
          <Text size="sm">{t('impersonationEnded.body', { reason, time: format.time(ended.endedAt) })}</Text>
          <Anchor component={Link} to={`/admin/${ended.origin}`} onClick={dismissEnded} size="sm">
            {t(
              ended.origin === 'power-users'
                ? 'impersonationEnded.toPowerUsers'
                : 'impersonationEnded.toUsers',
            )}
          </Anchor>
        </Stack>
      </Alert>
    </Container>
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
