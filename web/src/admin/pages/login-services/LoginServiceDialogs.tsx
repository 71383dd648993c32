import { useState } from 'react';
import { Alert, Badge, Group, PasswordInput, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client.ts';
import {
  createLoginService,
  deleteLoginService,
  updateLoginService,
  type LoginService,
  type LoginServiceInput,
} from '../../../api/login-services.ts';
import { listDomains } from '../../../api/orgs.ts';
import { ConfirmActions } from '../../../components/ConfirmActions.tsx';
import { EditForm } from '../../../components/EditForm.tsx';
import { useAction, useLoad } from '../../../components/useLoad.ts';
import { ProblemAlert, fieldError } from '../orgs/shared.tsx';

// The login services page's dialogs: add or change a service (the secret write-only: empty
// keeps the stored one), and delete (a service with linked accounts asks a second time).

const fields = ['displayName', 'displayNameDe', 'issuer', 'clientId', 'clientSecret', 'scopes', 'domainId'];

export function LoginServiceForm({
  service,
  onClose,
  onDone,
}: {
  service?: LoginService;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [displayName, setDisplayName] = useState(service?.displayName ?? '');
  const [displayNameDe, setDisplayNameDe] = useState(service?.displayNameDe ?? '');
  const [issuer, setIssuer] = useState(service?.issuer ?? '');
  const [clientId, setClientId] = useState(service?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [scopes, setScopes] = useState((service?.scopes ?? ['openid', 'profile', 'email']).join(' '));
  const [showOnSignIn, setShowOnSignIn] = useState(service?.showOnSignIn ?? true);
  const [allowLinking, setAllowLinking] = useState(service?.allowLinking ?? true);
  const [linkByVerifiedEmail, setLinkByVerifiedEmail] = useState(service?.linkByVerifiedEmail ?? false);
  const [trustProviderMfa, setTrustProviderMfa] = useState(service?.trustProviderMfa ?? false);
  const [domainId, setDomainId] = useState<string | null>(service?.domainId ?? null);
  // Domains are listed to those who may read users; others keep what is set.
  const domains = useLoad(async () => (await listDomains()).items);
  const saving = useAction();
  const error = saving.error;

  const input: LoginServiceInput = {
    displayName: displayName.trim(),
    displayNameDe: displayNameDe.trim() || null,
    issuer: issuer.trim(),
    clientId: clientId.trim(),
    ...(clientSecret ? { clientSecret } : {}),
    scopes: scopes.split(/\s+/).filter(Boolean),
    showOnSignIn,
    allowLinking,
    linkByVerifiedEmail,
    trustProviderMfa,
    domainId,
  };
  const save = () =>
    void saving.run(
      () => (service ? updateLoginService(service.id, input) : createLoginService(input)),
      onDone,
    );
  const atField = fields.some((f) => fieldError(error, f));
  const canSave =
    input.displayName !== '' &&
    input.issuer !== '' &&
    input.clientId !== '' &&
    (!!service || clientSecret !== '');

  return (
    <EditForm
      onSubmit={save}
      onCancel={onClose}
      busy={saving.busy}
      canSave={canSave}
      saveLabel={service ? t('loginServicesPage.save') : t('loginServicesPage.createSubmit')}
      alert={!atField && <ProblemAlert error={error} />}
    >
      <Group grow align="flex-start">
        <TextInput
          label={t('loginServicesPage.fields.displayName')}
          value={displayName}
          onChange={(e) => setDisplayName(e.currentTarget.value)}
          error={fieldError(error, 'displayName')}
          maxLength={100}
          required
          data-autofocus
        />
        <TextInput
          label={t('loginServicesPage.fields.displayNameDe')}
          value={displayNameDe}
          onChange={(e) => setDisplayNameDe(e.currentTarget.value)}
          error={fieldError(error, 'displayNameDe')}
          maxLength={100}
        />
      </Group>
      <TextInput
        label={t('loginServicesPage.fields.issuer')}
        description={t('loginServicesPage.fields.issuerHint')}
        placeholder="https://login.example.com/realms/staff"
        value={issuer}
        onChange={(e) => setIssuer(e.currentTarget.value)}
        error={fieldError(error, 'issuer')}
        required
      />
      <Group grow align="flex-start">
        <TextInput
          label={t('loginServicesPage.fields.clientId')}
          value={clientId}
          onChange={(e) => setClientId(e.currentTarget.value)}
          error={fieldError(error, 'clientId')}
          required
        />
        <PasswordInput
          label={
            <Group gap={6} component="span">
              {t('loginServicesPage.fields.clientSecret')}
              {service && (
                <Badge size="xs" variant="light" color="green" c="dark.7" component="span">
                  {t('loginServicesPage.secretSet')}
                </Badge>
              )}
            </Group>
          }
          description={service ? t('loginServicesPage.fields.clientSecretReplace') : undefined}
          autoComplete="new-password"
          value={clientSecret}
          onChange={(e) => setClientSecret(e.currentTarget.value)}
          error={fieldError(error, 'clientSecret')}
          required={!service}
        />
      </Group>
      <TextInput
        label={t('loginServicesPage.fields.scopes')}
        description={t('loginServicesPage.fields.scopesHint')}
        value={scopes}
        onChange={(e) => setScopes(e.currentTarget.value)}
        error={fieldError(error, 'scopes')}
      />
      <Select
        label={t('loginServicesPage.fields.domain')}
        description={t('loginServicesPage.fields.domainHint')}
        data={[
          { value: '', label: t('loginServicesPage.fields.allDomains') },
          ...(domains.data ?? []).map((d) => ({ value: d.id, label: d.name })),
          ...(domainId && !domains.data?.some((d) => d.id === domainId)
            ? [{ value: domainId, label: domainId }]
            : []),
        ]}
        value={domainId ?? ''}
        onChange={(v) => setDomainId(v ? v : null)}
        error={fieldError(error, 'domainId')}
        allowDeselect={false}
      />
      <Stack gap="sm">
        <Switch
          label={t('loginServicesPage.fields.showOnSignIn')}
          checked={showOnSignIn}
          onChange={(e) => setShowOnSignIn(e.currentTarget.checked)}
        />
        <Switch
          label={t('loginServicesPage.fields.allowLinking')}
          checked={allowLinking}
          onChange={(e) => setAllowLinking(e.currentTarget.checked)}
        />
        <Switch
          label={t('loginServicesPage.fields.trustProviderMfa')}
          description={t('loginServicesPage.fields.trustProviderMfaHint')}
          checked={trustProviderMfa}
          onChange={(e) => setTrustProviderMfa(e.currentTarget.checked)}
        />
        <Switch
          label={t('loginServicesPage.fields.linkByVerifiedEmail')}
          description={t('loginServicesPage.fields.linkByVerifiedEmailHint')}
          checked={linkByVerifiedEmail}
          onChange={(e) => setLinkByVerifiedEmail(e.currentTarget.checked)}
        />
        {linkByVerifiedEmail && (
          <Alert color="orange" role="note">
            <Text size="sm">{t('loginServicesPage.emailRisk')}</Text>
          </Alert>
        )}
      </Stack>
    </EditForm>
  );
}

export function DeleteLoginServiceForm({
  service,
  onClose,
  onDone,
}: {
  service: LoginService;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const removing = useAction();
  const inUse =
    isApiError(removing.error) && removing.error.code === 'login_service_in_use'
      ? Number(removing.error.problem.linkedAccounts ?? 0)
      : null;
  return (
    <ConfirmActions
      alert={inUse === null && <ProblemAlert error={removing.error} />}
      confirmLabel={
        inUse === null ? t('loginServicesPage.deleteConfirm') : t('loginServicesPage.deleteForce')
      }
      onConfirm={() => void removing.run(() => deleteLoginService(service.id, inUse !== null), onDone)}
      onCancel={onClose}
      busy={removing.busy}
      cancelDisabledWhileBusy
    >
      <Text size="sm">{t('loginServicesPage.deleteExplain', { name: service.displayName })}</Text>
      {inUse !== null && (
        <Alert color="orange" role="alert">
          <Text size="sm">{t('loginServicesPage.deleteInUse', { count: inUse })}</Text>
        </Alert>
      )}
    </ConfirmActions>
  );
}
