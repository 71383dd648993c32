import { useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { IconCheck, IconCopy, IconKey } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  appScopes,
  createApp,
  deleteApp,
  rotateAppSecret,
  updateApp,
  type AppType,
  type PlatformApp,
} from '../../../api/apps.ts';
import { ConfirmActions } from '../../../components/ConfirmActions.tsx';
import { EditForm } from '../../../components/EditForm.tsx';
import { useAction } from '../../../components/useLoad.ts';
import { ProblemAlert, fieldError } from '../orgs/shared.tsx';

// The apps page's dialogs: register or change an app, delete it, give it a new secret, and
// show a secret the one time the server answers it.

/** What the server answered once: the client ID, and the secret of a confidential app. */
export interface Credentials {
  name: string;
  clientId: string;
  clientSecret: string | null;
}

/** One URI a line; blank lines dropped. */
const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

const fields = ['name', 'redirectUris', 'postLogoutRedirectUris', 'backchannelLogoutUri', 'scopes'];

export function AppForm({
  app,
  onClose,
  onCreated,
  onSaved,
}: {
  app: PlatformApp | null;
  onClose: () => void;
  onCreated: (c: Credentials) => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(app?.name ?? '');
  const [type, setType] = useState<AppType>(app?.type ?? 'confidential');
  const [firstParty, setFirstParty] = useState(app?.firstParty ?? false);
  const [redirectUris, setRedirectUris] = useState(app?.redirectUris.join('\n') ?? '');
  const [postLogout, setPostLogout] = useState(app?.postLogoutRedirectUris.join('\n') ?? '');
  const [backchannel, setBackchannel] = useState(app?.backchannelLogoutUri ?? '');
  const [scopes, setScopes] = useState<string[]>(app?.scopes ?? [...appScopes]);
  const saving = useAction();
  const error = saving.error;
  const atField = fields.some((f) => fieldError(error, f));
  const values = () => ({
    name: name.trim(),
    redirectUris: lines(redirectUris),
    postLogoutRedirectUris: lines(postLogout),
    backchannelLogoutUri: backchannel.trim() || null,
    firstParty,
    scopes,
  });
  const save = () =>
    void saving.run(
      async () => {
        if (app) {
          await updateApp(app.id, values());
          onSaved();
          return;
        }
        const created = await createApp({ ...values(), type });
        onCreated({
          name: created.app.name,
          clientId: created.clientId,
          clientSecret: created.clientSecret ?? null,
        });
      },
      () => undefined,
    );
  return (
    <EditForm
      onSubmit={save}
      onCancel={onClose}
      busy={saving.busy}
      canSave={name.trim() !== '' && lines(redirectUris).length > 0}
      saveLabel={app ? t('orgs.save') : t('appsPage.create')}
      alert={!atField && <ProblemAlert error={error} />}
    >
      <TextInput
        label={t('appsPage.name')}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        error={fieldError(error, 'name')}
        maxLength={100}
        data-autofocus
      />
      {app ? (
        <Text size="sm">
          {t('appsPage.type')}: {t(`appsPage.types.${app.type}`)}
        </Text>
      ) : (
        <Stack gap={4}>
          <Text size="sm" fw={500} id="app-type-label">
            {t('appsPage.type')}
          </Text>
          <SegmentedControl
            aria-labelledby="app-type-label"
            value={type}
            onChange={(v) => setType(v)}
            data={[
              { value: 'confidential', label: t('appsPage.types.confidential') },
              { value: 'public', label: t('appsPage.types.public') },
            ]}
          />
          <Text size="xs" c="dimmed">
            {t(`appsPage.typeHints.${type}`)}
          </Text>
        </Stack>
      )}
      <Switch
        label={t('appsPage.firstParty')}
        description={t('appsPage.firstPartyHint')}
        checked={firstParty}
        onChange={(e) => setFirstParty(e.currentTarget.checked)}
      />
      <Textarea
        label={t('appsPage.redirectUris')}
        description={t('appsPage.uriLines')}
        placeholder="https://learn.example.com/callback"
        value={redirectUris}
        onChange={(e) => setRedirectUris(e.currentTarget.value)}
        error={fieldError(error, 'redirectUris')}
        autosize
        minRows={2}
      />
      <Textarea
        label={t('appsPage.postLogoutRedirectUris')}
        description={t('appsPage.uriLines')}
        placeholder="https://learn.example.com/"
        value={postLogout}
        onChange={(e) => setPostLogout(e.currentTarget.value)}
        error={fieldError(error, 'postLogoutRedirectUris')}
        autosize
        minRows={1}
      />
      <TextInput
        label={t('appsPage.backchannelLogoutUri')}
        description={t('appsPage.backchannelLogoutHint')}
        placeholder="https://learn.example.com/backchannel-logout"
        value={backchannel}
        onChange={(e) => setBackchannel(e.currentTarget.value)}
        error={fieldError(error, 'backchannelLogoutUri')}
        maxLength={2000}
      />
      <Checkbox.Group
        label={t('appsPage.scopes')}
        value={scopes}
        onChange={setScopes}
        error={fieldError(error, 'scopes')}
      >
        <Group mt={4}>
          {appScopes.map((scope) => (
            <Checkbox key={scope} value={scope} label={scope} />
          ))}
        </Group>
      </Checkbox.Group>
    </EditForm>
  );
}

export function DeleteAppForm({
  app,
  onClose,
  onDone,
}: {
  app: PlatformApp;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const removing = useAction();
  return (
    <ConfirmActions
      alert={<ProblemAlert error={removing.error} />}
      confirmLabel={t('appsPage.deleteConfirm')}
      onConfirm={() => void removing.run(() => deleteApp(app.id), onDone)}
      onCancel={onClose}
      busy={removing.busy}
      cancelDisabledWhileBusy
    >
      <Text size="sm">{t('appsPage.deleteExplain', { name: app.name })}</Text>
    </ConfirmActions>
  );
}

export function RotateSecretForm({
  app,
  onClose,
  onRotated,
}: {
  app: PlatformApp;
  onClose: () => void;
  onRotated: (c: Credentials) => void;
}) {
  const { t } = useTranslation();
  const rotating = useAction();
  const rotate = () =>
    void rotating.run(
      async () => {
        const answer = await rotateAppSecret(app.id);
        onRotated({ name: app.name, clientId: answer.clientId, clientSecret: answer.clientSecret });
      },
      () => undefined,
    );
  return (
    <ConfirmActions
      alert={<ProblemAlert error={rotating.error} />}
      confirmLabel={t('appsPage.rotateConfirm')}
      onConfirm={rotate}
      onCancel={onClose}
      busy={rotating.busy}
      cancelDisabledWhileBusy
    >
      <Text size="sm">{t('appsPage.rotateExplain', { name: app.name })}</Text>
    </ConfirmActions>
  );
}

function CopyValue({ label, value, copyLabel }: { label: string; value: string; copyLabel: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Code fz="sm" aria-label={label} style={{ wordBreak: 'break-all' }}>
          {value}
        </Code>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button
              size="xs"
              variant="light"
              color={copied ? 'teal' : 'blue'}
              leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
              onClick={copy}
            >
              {copied ? t('appsPage.copied') : copyLabel}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

/** The client ID and, this once, the secret; closing the dialog forgets the secret. */
export function CredentialsShown({
  credentials,
  onClose,
}: {
  credentials: Credentials;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack>
      <CopyValue
        label={t('appsPage.clientId')}
        value={credentials.clientId}
        copyLabel={t('appsPage.copyClientId')}
      />
      {credentials.clientSecret ? (
        <Alert color="orange" icon={<IconKey aria-hidden />} title={t('appsPage.secretOnceTitle')}>
          <Stack gap="xs">
            <CopyValue
              label={t('appsPage.clientSecret')}
              value={credentials.clientSecret}
              copyLabel={t('appsPage.copySecret')}
            />
            <Text size="sm">{t('appsPage.secretOnce')}</Text>
          </Stack>
        </Alert>
      ) : (
        <Text size="sm">{t('appsPage.noSecret')}</Text>
      )}
      <Group justify="flex-end">
        <Button onClick={onClose}>{t('appsPage.done')}</Button>
      </Group>
    </Stack>
  );
}
