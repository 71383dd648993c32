import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Anchor, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { IconChevronLeft, IconInfoCircle } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { getUser, type Versioned } from '../../api/user-detail.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { isApiError } from '../../api/client.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { ActiveSwitch, ProfileOverview, ProfileSection } from '../user-page/ProfileSection.tsx';
import { PermissionsSection } from '../user-page/PermissionsSection.tsx';
import { EmailsSection } from '../user-page/EmailsSection.tsx';
import { LinkedAccountsSection } from '../user-page/LinkedAccountsSection.tsx';
import { SecuritySection } from '../user-page/SecuritySection.tsx';
import { InformationSection } from '../user-page/InformationSection.tsx';
import { DeleteSection } from '../user-page/DeleteSection.tsx';
import { refusal, UserPageContext, type UserPageState } from '../user-page/shared.tsx';
import { SectionNav, SectionTargets, type PageSection } from '../user-page/SectionNav.tsx';

// /admin/users/:id — the user page of seed 004 (R-ADM-02..15): profile properties and tags, the
// active switch, permissions, e-mails, security, user information, delete. Each edit sends the
// ETag it last saw (If-Match); a 412 says someone else changed the user and keeps what was typed.

export function UserPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { session } = useSession();
  const [state, setState] = useState<{ id: string; data: Versioned | null; error: unknown }>({
    id: '',
    data: null,
    error: null,
  });

  useEffect(() => {
    const controller = new AbortController();
    getUser(id, controller.signal).then(
      (data) => setState({ id, data, error: null }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ id, data: null, error });
      },
    );
    return () => controller.abort();
  }, [id]);

  const apply = useCallback((data: Versioned) => setState({ id: data.user.id, data, error: null }), []);
  const reload = useCallback(async () => apply(await getUser(id)), [apply, id]);
  const data = state.id === id ? state.data : null;
  const context = useMemo<UserPageState | null>(
    () => (data ? { user: data.user, etag: data.etag, apply, reload } : null),
    [data, apply, reload],
  );

  const back = (
    <Anchor component={Link} to="/admin/users" size="sm">
      <Group gap={4} component="span">
        <IconChevronLeft size={16} aria-hidden />
        {t('userPage.back')}
      </Group>
    </Anchor>
  );

  if (state.id === id && state.error) {
    return (
      <Stack>
        {back}
        <Title order={1} size="h2">
          {t('userPage.notLoaded')}
        </Title>
        <ErrorAlert error={state.error} />
        <MergedInto error={state.error} />
      </Stack>
    );
  }
  if (!context || !session) {
    return (
      <Group justify="center" p="xl">
        <Loader role="status" aria-label={t('common.loading')} />
      </Group>
    );
  }
  const self = refusal(session, context.user, 'update') === 'userPage.refused.self';
  const sections: PageSection[] = [
    {
      key: 'properties',
      title: 'userPage.profile.title',
      content: (
        <Paper withBorder p="lg" component="section" aria-label={t('userPage.profile.title')}>
          <Stack>
            <ProfileOverview />
            <ActiveSwitch />
          </Stack>
        </Paper>
      ),
    },
    { key: 'details', title: 'userPage.profile.editTitle', content: <ProfileSection /> },
    { key: 'permissions', title: 'userPage.permissions.title', content: <PermissionsSection /> },
    { key: 'emails', title: 'userPage.emails.title', content: <EmailsSection /> },
    { key: 'linked-accounts', title: 'userPage.linkedAccounts.title', content: <LinkedAccountsSection /> },
    { key: 'security', title: 'userPage.security.title', content: <SecuritySection /> },
    { key: 'information', title: 'userPage.info.title', content: <InformationSection /> },
    { key: 'delete', title: 'userPage.delete.title', content: <DeleteSection /> },
  ];

  return (
    <UserPageContext.Provider value={context}>
      {/* Sections keep their own typed state per user: a new user gets fresh forms. */}
      <Stack key={context.user.id} maw={960}>
        {back}
        <Title order={1} size="h2">
          {context.user.displayName}
        </Title>
        {self && <SelfNotice />}
        <SectionNav sections={sections} />
        <SectionTargets sections={sections} />
      </Stack>
    </UserPageContext.Provider>
  );
}

/**
 * R-ADM-08: an administrator's own account is theirs to change from My Profile, not here. Said
 * once, at the top, with the way there; the sections stay read-only without repeating it.
 */
function SelfNotice() {
  const { t } = useTranslation();
  return (
    <Alert color="blue" icon={<IconInfoCircle aria-hidden />} role="note">
      <Text size="sm">
        {t('userPage.selfNotice')}{' '}
        <Anchor component={Link} to="/profile" size="sm">
          {t('userPage.openMyProfile')}
        </Anchor>
      </Text>
    </Alert>
  );
}

/** R-ADM-10: an absorbed profile's ID leads to the profile it was connected into. */
function MergedInto({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!isApiError(error) || error.code !== 'user_merged') return null;
  const survivorId = error.problem.survivorId;
  if (typeof survivorId !== 'string') return null;
  return (
    <Anchor component={Link} to={`/admin/users/${survivorId}`}>
      {t('userPage.openSurvivor')}
    </Anchor>
  );
}
