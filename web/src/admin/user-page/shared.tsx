import { createContext, useCallback, useContext, useId, useState, type ReactNode } from 'react';
import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconExclamationCircle, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import type { Session, Tag, UserDetail } from '../../api/types.ts';
import type { Versioned } from '../../api/user-detail.ts';
import { hasPermission, isSuperadmin } from '../../session/permissions.ts';

// What the sections of the user page share: the user with its ETag, how an edit's answer
// replaces them, and how a refusal is shown.

export interface UserPageState {
  user: UserDetail;
  etag: string;
  /** Takes the user and ETag an edit answered with. */
  apply: (v: Versioned) => void;
  /** Reads the user again (after an answer without the user, or after a conflict). */
  reload: () => Promise<void>;
}

export const UserPageContext = createContext<UserPageState | null>(null);

export function useUserPage(): UserPageState {
  const state = useContext(UserPageContext);
  if (!state) throw new Error('useUserPage outside the user page');
  return state;
}

export const tagColors: Record<Tag, string> = {
  active: 'green',
  inactive: 'gray',
  'system-administrator': 'grape',
  superadmin: 'red',
  'power-user': 'indigo',
  locked: 'orange',
  'cannot-log-in': 'yellow',
};

export type UserAction = 'update' | 'credentials' | 'permissions' | 'delete' | 'role';

/**
 * Why this viewer may not do this to this user, as an i18n key; null when they may. Mirrors the
 * server's rule (src/permissions/can.ts) only to decide what to show; the server still decides.
 */
export function refusal(session: Session, user: UserDetail, action: UserAction): string | null {
  if (session.impersonation) return 'userPage.refused.impersonating';
  // R-ADM-08: nobody administers themselves here; My Profile is their page.
  if (user.id === session.user.id) return 'userPage.refused.self';
  if (action === 'role') return isSuperadmin(session) ? null : 'userPage.refused.superadminOnly';
  if (!hasPermission(session, `users.${action}`)) return 'userPage.refused.missingPermission';
  if (isSuperadmin(session)) return null;
  if (user.role === 'superadmin') return 'userPage.refused.targetSuperadmin';
  if (!user.permissions.system.every((p) => session.permissions.system.includes(p))) {
    return 'userPage.refused.escalation';
  }
  return null;
}

/** A section of the page: a labelled region with its heading. */
export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  const generated = useId();
  const headingId = id ?? generated;
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={headingId}>
      <Stack gap="md">
        <Title order={2} size="h3" id={headingId}>
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

/**
 * Why a section is read-only, shown once at its top. Not for the administrator's own account:
 * the page says that once, with a link to My Profile (issue 10 #17: it stood there six times).
 */
export function Refused({ reason }: { reason: string | null }) {
  const { t } = useTranslation();
  if (!reason || reason === 'userPage.refused.self') return null;
  return (
    <Text size="sm" c="dimmed">
      {t(reason)}
    </Text>
  );
}

/**
 * An edit's failure. A conflict (412) says that someone else changed the user and offers to
 * read it again: what was typed stays in the form, so it can be saved once more.
 */
export function EditError({ error, onReload }: { error: unknown; onReload?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (isApiError(error) && error.status === 412) {
    return (
      <Alert
        color="orange"
        icon={<IconExclamationCircle aria-hidden />}
        title={t('userPage.conflict.title')}
        role="alert"
      >
        <Stack gap="xs">
          <Text size="sm">{t('userPage.conflict.body')}</Text>
          {onReload && (
            <Group>
              <Button
                size="xs"
                variant="white"
                leftSection={<IconRefresh size={14} aria-hidden />}
                onClick={onReload}
              >
                {t('userPage.conflict.reload')}
              </Button>
            </Group>
          )}
        </Stack>
      </Alert>
    );
  }
  const message = isApiError(error)
    ? t(`userPage.errors.${error.code}`, {
        defaultValue: t(`errors.codes.${error.code}`, { defaultValue: error.detail }),
      })
    : t('errors.unexpected');
  return (
    <Alert color="red" icon={<IconExclamationCircle aria-hidden />} role="alert">
      {message}
    </Alert>
  );
}

/** The server's message for one field of a failed edit, for the control's `error`. */
export const fieldError = (error: unknown, field: string) =>
  isApiError(error) ? error.fieldError(field) : undefined;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A form's values drawn from the user. When the user is read anew (another edit's answer, or a
 * reload after a conflict), the fields nobody touched follow it and typed ones stay, so a reload
 * loses nothing typed and saving again does not undo someone else's change to another field.
 */
export function useDraft<T extends Record<string, unknown>>(current: T): [T, (patch: Partial<T>) => void] {
  const [state, setState] = useState({ base: current, draft: current });
  let draft = state.draft;
  if (!same(state.base, current)) {
    const merged: Record<string, unknown> = { ...draft };
    for (const key of Object.keys(current)) {
      if (same(draft[key], state.base[key])) merged[key] = current[key];
    }
    draft = merged as T;
    setState({ base: current, draft });
  }
  const update = useCallback(
    (patch: Partial<T>) => setState((s) => ({ ...s, draft: { ...s.draft, ...patch } })),
    [],
  );
  return [draft, update];
}
