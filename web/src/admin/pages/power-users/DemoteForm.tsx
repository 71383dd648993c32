import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { setRole } from '../../../api/orgs.ts';
import type { UserListItem } from '../../../api/types.ts';
import { ConfirmActions } from '../../../components/ConfirmActions.tsx';
import { useAction } from '../../../components/useLoad.ts';
import { ProblemAlert } from '../orgs/shared.tsx';

/** Makes a power user an ordinary user again, after asking. */
export function DemoteForm({
  user,
  onClose,
  onDone,
}: {
  user: UserListItem;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const demoting = useAction();
  return (
    <ConfirmActions
      alert={<ProblemAlert error={demoting.error} />}
      confirmLabel={t('powerUsersPage.demoteConfirm')}
      onConfirm={() => void demoting.run(() => setRole(user.id, 'user'), onDone)}
      onCancel={onClose}
      busy={demoting.busy}
      cancelDisabledWhileBusy
    >
      <Text size="sm">{t('powerUsersPage.demoteExplain', { name: user.displayName })}</Text>
    </ConfirmActions>
  );
}
