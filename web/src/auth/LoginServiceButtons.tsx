import { Alert, Button, Divider, Stack } from '@mantine/core';
import { IconExclamationCircle, IconLogin2 } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { loginServiceStartUrl, shownLoginServices } from '../api/login-services.ts';
import { useLoad } from '../components/useLoad.ts';

// Signing in with a login service (issue 8): one button per service shown on the sign-in page.
// Each is a plain link: the server redirects to the provider and, at the end, back to `returnTo`
// (or to this page with `?secondFactor=` or `?loginServiceError=`).

export function LoginServiceButtons({ returnTo }: { returnTo: string }) {
  const { t, i18n } = useTranslation();
  const services = useLoad(shownLoginServices);
  if (!services.data || services.data.length === 0) return null;
  return (
    <Stack gap="xs">
      <Divider label={t('signIn.orWith')} labelPosition="center" />
      {services.data.map((s) => {
        const name = i18n.language === 'de' && s.displayNameDe ? s.displayNameDe : s.displayName;
        return (
          <Button
            key={s.id}
            component="a"
            href={loginServiceStartUrl(s.id, returnTo)}
            variant="default"
            leftSection={<IconLogin2 size={16} aria-hidden />}
          >
            {t('signIn.withService', { name })}
          </Button>
        );
      })}
    </Stack>
  );
}

/** Why a sign-in at a login service did not finish (`?loginServiceError=<code>`). */
export function LoginServiceError({ code }: { code: string }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" icon={<IconExclamationCircle aria-hidden />} role="alert">
      {t(`errors.codes.${code}`, { defaultValue: t('signIn.loginServiceFailed') })}
    </Alert>
  );
}
