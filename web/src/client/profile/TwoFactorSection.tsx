import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  PasswordInput,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import {
  confirmTotp,
  setTwoFactorMethod,
  startTotpEnrolment,
  type Profile,
  type TotpEnrolment,
} from '../../api/account.ts';
import { BlockedNotice, ProfileError, Section, useBlocked } from './shared.tsx';
import { useAction } from '../../components/useLoad.ts';

/** Two-factor sign-in (R-ADM-13): enrol an authenticator app, use e-mail codes, or switch off. */
export function TwoFactorSection({ profile, onSaved }: { profile: Profile; onSaved: (p: Profile) => void }) {
  const { t } = useTranslation();
  const blocked = useBlocked('two_factor.change');
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [askPassword, setAskPassword] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const method = profile.twoFactorMethod;

  const start = async () => {
    setBusy('totp');
    try {
      setEnrolment(await startTotpEnrolment());
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const switchToEmail = async () => {
    setBusy('email');
    try {
      onSaved(await setTwoFactorMethod('email'));
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Section
      id="two-factor"
      title={t('profile.twoFactor.title')}
      description={t('profile.twoFactor.description')}
    >
      <Stack gap="sm">
        <Group gap="xs">
          <Text size="sm">{t('profile.twoFactor.current')}</Text>
          <Badge variant="light" c="dark.7">
            {t(`profile.twoFactor.methods.${method}`)}
          </Badge>
        </Group>
        {blocked ? (
          <BlockedNotice />
        ) : (
          <Group>
            <Button loading={busy === 'totp'} onClick={() => void start()}>
              {method === 'totp' ? t('profile.twoFactor.replaceApp') : t('profile.twoFactor.setUpApp')}
            </Button>
            {method !== 'email' && profile.primaryEmail && (
              <Button variant="default" loading={busy === 'email'} onClick={() => void switchToEmail()}>
                {t('profile.twoFactor.useEmail')}
              </Button>
            )}
            {method !== 'none' && (
              <Button variant="subtle" color="red" onClick={() => setAskPassword(true)}>
                {t('profile.twoFactor.switchOff')}
              </Button>
            )}
          </Group>
        )}
        <ProfileError error={error} />
      </Stack>
      {enrolment && (
        <EnrolDialog
          enrolment={enrolment}
          onClose={() => setEnrolment(null)}
          onDone={(p) => {
            setEnrolment(null);
            onSaved(p);
          }}
        />
      )}
      {askPassword && (
        <SwitchOffDialog
          onClose={() => setAskPassword(false)}
          onDone={(p) => {
            setAskPassword(false);
            onSaved(p);
          }}
        />
      )}
    </Section>
  );
}

function EnrolDialog({
  enrolment,
  onClose,
  onDone,
}: {
  enrolment: TotpEnrolment;
  onClose: () => void;
  onDone: (p: Profile) => void;
}) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();

  // The QR code is drawn on a canvas: no data: URL, which the pages' policy would refuse.
  useEffect(() => {
    if (canvas.current) void QRCode.toCanvas(canvas.current, enrolment.uri, { width: 200, margin: 1 });
  }, [enrolment.uri]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(
      async () => onDone(await confirmTotp(code.trim())),
      () => {},
    );
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={t('profile.twoFactor.enrolTitle')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <Text size="sm">{t('profile.twoFactor.scan')}</Text>
          <canvas ref={canvas} role="img" aria-label={t('profile.twoFactor.qrLabel')} />
          <Text size="sm">{t('profile.twoFactor.orType')}</Text>
          <Group gap="xs">
            <Code data-testid="totp-secret">{enrolment.manualEntryKey}</Code>
            <CopyButton value={enrolment.manualEntryKey}>
              {({ copied, copy }) => (
                <Button size="xs" variant="default" onClick={copy}>
                  {copied ? t('profile.twoFactor.copied') : t('profile.twoFactor.copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
          <TextInput
            label={t('profile.twoFactor.code')}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            data-autofocus
          />
          <ProfileError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={!/^\d{6}$/.test(code.trim())}>
              {t('profile.twoFactor.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function SwitchOffDialog({ onClose, onDone }: { onClose: () => void; onDone: (p: Profile) => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      onDone(await setTwoFactorMethod('none', password));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('profile.twoFactor.switchOffTitle')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <Text size="sm">{t('profile.twoFactor.switchOffText')}</Text>
          <PasswordInput
            label={t('profile.password.current')}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            autoComplete="current-password"
            data-autofocus
          />
          <ProfileError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={busy}>
              {t('profile.twoFactor.switchOff')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
