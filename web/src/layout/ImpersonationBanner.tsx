import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertTriangle, IconArrowBackUp } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { backToOwnAccount } from '../api/impersonation.ts';
import { isApiError } from '../api/client.ts';
import { useSession } from '../session/SessionContext.tsx';
import { formatters } from '../i18n/format.ts';
import { isUiLanguage } from '../i18n/index.ts';
import classes from './ImpersonationBanner.module.css';

// R-IMP-05, R-IMP-06: on every page of both areas while this browser acts as someone. It is
// rendered by the root layout, outside the routed content, fixed at the top above everything
// (dialogs included) with its height reserved, so no page can hide, cover or dismiss it.

/** Reserves the banner's height for the page below and tells fixed/sticky parts to offset. */
function useReservedHeight(active: boolean) {
  const ref = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    const root = document.documentElement;
    if (!active || !element) {
      root.style.setProperty('--banner-height', '0px');
      setHeight(0);
      return;
    }
    const update = () => {
      const h = element.getBoundingClientRect().height;
      setHeight(h);
      root.style.setProperty('--banner-height', `${h}px`);
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.style.setProperty('--banner-height', '0px');
    };
  }, [active]);
  return { ref, height };
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [active]);
  return now;
}

/**
 * Issue 10 #6: the banner is read by the actor, not the subject whose language the rest of the
 * page speaks, so it speaks the actor's language (when the interface has it).
 */
function useActorT(language: string | undefined) {
  const { i18n } = useTranslation();
  const lng = language && isUiLanguage(language) ? language : i18n.language;
  return useMemo(() => ({ t: i18n.getFixedT(lng), lng }), [i18n, lng]);
}

function BackButton({ t }: { t: TFunction }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const back = async () => {
    setBusy(true);
    setError(null);
    try {
      const { returnTo } = await backToOwnAccount();
      // A full page load: the whole app starts again with the administrator's own session.
      window.location.assign(returnTo);
    } catch (e) {
      // Another tab went back already: this browser is the administrator's again.
      if (isApiError(e) && e.code === 'not_impersonating') {
        window.location.assign('/');
        return;
      }
      setBusy(false);
      setError(
        isApiError(e) ? t(`errors.codes.${e.code}`, { defaultValue: e.detail }) : t('errors.unexpected'),
      );
    }
  };
  return (
    <Group gap="xs" wrap="nowrap">
      {error && (
        <Text size="sm" c="red.9" role="alert">
          {error}
        </Text>
      )}
      <Button
        color="dark"
        variant="filled"
        size="sm"
        leftSection={<IconArrowBackUp size={18} aria-hidden />}
        loading={busy}
        onClick={() => void back()}
      >
        {t('banner.back')}
      </Button>
    </Group>
  );
}

export function ImpersonationBanner() {
  const { state, refresh } = useSession();
  const impersonation =
    state.status === 'signed-in'
      ? state.session.impersonation
      : state.status === 'impersonation-lost'
        ? state.impersonation
        : null;
  const { t, lng } = useActorT(impersonation?.actor.language);
  const format = useMemo(() => formatters(lng), [lng]);
  const lost = state.status === 'impersonation-lost';
  const active = impersonation !== null;
  const { ref, height } = useReservedHeight(active);
  const now = useNow(active && !lost);

  const remaining = impersonation ? Date.parse(impersonation.expiresAt) - now : 0;
  const expired = active && !lost && remaining <= 0;
  // At expiry the server has ended it: asking again turns the banner into the "ended" message.
  useEffect(() => {
    if (expired) void refresh();
  }, [expired, refresh]);

  if (!impersonation) return null;
  const subject =
    state.status === 'signed-in' ? state.session.user.displayName : lost ? state.subjectName : '';
  const actor = impersonation.actor.displayName;

  return (
    <>
      <div
        ref={ref}
        className={classes.banner}
        lang={lng}
        role="region"
        aria-label={t('banner.label')}
        data-testid="impersonation-banner"
      >
        <Alert
          color={lost ? 'red' : 'yellow'}
          variant="filled"
          radius={0}
          icon={<IconAlertTriangle aria-hidden />}
          classNames={{ root: lost ? classes.ended : classes.alert, message: classes.message }}
        >
          <Group justify="space-between" wrap="wrap" gap="sm">
            <div>
              <Text fw={700} className={classes.text}>
                {lost
                  ? t('banner.ended', { subject })
                  : impersonation.mode === 'read-only'
                    ? t('banner.lookingAt', { subject })
                    : t('banner.actingAs', { subject })}
              </Text>
              <Text size="sm" className={classes.text}>
                {lost
                  ? t('banner.endedHint', { actor })
                  : t('banner.details', {
                      actor,
                      remaining: format.duration(remaining),
                      until: format.time(impersonation.expiresAt),
                    })}
              </Text>
            </div>
            <BackButton t={t} />
          </Group>
        </Alert>
      </div>
      <div style={{ height }} aria-hidden />
    </>
  );
}
