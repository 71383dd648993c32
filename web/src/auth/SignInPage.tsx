import { Anchor, Center, Container, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session/SessionContext.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { SignInFlow } from './SignInFlow.tsx';
import { TermsPrompt } from './TermsPrompt.tsx';
import { LoginServiceButtons, LoginServiceError } from './LoginServiceButtons.tsx';

export type Area = 'admin' | 'client';

export const areaHome: Record<Area, string> = { admin: '/admin', client: '/' };
export const signInPath: Record<Area, string> = { admin: '/admin/sign-in', client: '/sign-in' };

/** Only a path inside the same area is followed after sign-in (never another site). */
function safeNext(next: string | null, area: Area): string {
  if (!next || !next.startsWith('/') || next.startsWith('//')) return areaHome[area];
  const inAdmin = next === '/admin' || next.startsWith('/admin/');
  return (area === 'admin') === inAdmin ? next : areaHome[area];
}

export function SignInPage({ area }: { area: Area }) {
  const { t } = useTranslation();
  const { session, refresh } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next') ?? params.get('returnTo'), area);
  const secondFactorParam = params.get('secondFactor');
  const secondFactor =
    secondFactorParam === 'email' || secondFactorParam === 'totp' ? secondFactorParam : undefined;
  const loginServiceError = params.get('loginServiceError');

  // An app's sign-in through Behalf (issue 9) resumes on the server, outside this web app:
  // a full page load, and only to the OpenID Provider's interaction path.
  const toProvider = next.startsWith('/oidc/interaction/');
  if (session && toProvider && session.pendingTerms.length > 0 && !session.impersonation) {
    return (
      <Container size="sm" py="xl">
        <Paper withBorder p="xl" component="main">
          <TermsPrompt onAccepted={() => window.location.replace(next)} onDeclined={() => void refresh()} />
        </Paper>
      </Container>
    );
  }
  if (session && toProvider) {
    window.location.replace(next);
    return null;
  }
  if (session) return <Navigate to={next} replace />;

  const done = async () => {
    await refresh();
    if (toProvider) window.location.replace(next);
    else await navigate(next, { replace: true });
  };

  return (
    <Container size={460} py={48}>
      <Group justify="flex-end" mb="md">
        <LanguageSwitch />
      </Group>
      <Paper withBorder shadow="sm" p="xl" radius="md" component="main">
        <Stack>
          <div>
            <Title order={1} size="h2">
              {area === 'admin' ? t('signIn.adminTitle') : t('signIn.title')}
            </Title>
            <Text c="dimmed" size="sm">
              {area === 'admin' ? t('signIn.adminSubtitle') : t('signIn.subtitle')}
            </Text>
          </div>
          {loginServiceError && <LoginServiceError code={loginServiceError} />}
          <SignInFlow
            onDone={done}
            secondFactor={secondFactor}
            alternatives={<LoginServiceButtons returnTo={next} />}
          />
        </Stack>
      </Paper>
      <Center mt="md">
        <Anchor href={area === 'admin' ? '/sign-in' : '/admin/sign-in'} size="sm">
          {area === 'admin' ? t('signIn.toClient') : t('signIn.toAdmin')}
        </Anchor>
      </Center>
    </Container>
  );
}
