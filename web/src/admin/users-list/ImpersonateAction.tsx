import { useId } from 'react';
import type { ReactNode } from 'react';
import { Button, Loader, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconLogin2 } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { UserListItem } from '../../api/types.ts';
import type { PreviewState } from './previews.ts';
import { useRefusalText } from '../pages/ImpersonateDialog.tsx';

// A row's "log in as" button: disabled but focusable while the server's preview says no (or is
// still checking), with the reason as tooltip and description.

export function ImpersonateAction({
  user,
  certain,
  state,
  onClick,
}: {
  user: UserListItem;
  certain: string | null;
  state: PreviewState;
  onClick: () => void;
}) {
  const { t } = useTranslation();
  const refusal = useRefusalText();
  const describedBy = useId();
  const label = user.role === 'power-user' ? t('userList.loginAsPowerUser') : t('userList.loginAs');
  let block: ReactNode = null;
  let checking = false;
  if (certain) block = refusal(certain);
  else if (state.status === 'loading') checking = true;
  else if (state.status === 'failed') block = t('userList.cannotCheck');
  else if (!state.preview.allowed) block = refusal(state.preview.code, state.preview.message);
  const off = block !== null || checking;
  const button = (
    <Button
      size="xs"
      variant="light"
      leftSection={checking ? <Loader size={12} aria-hidden /> : <IconLogin2 size={14} aria-hidden />}
      // Disabled but focusable, so keyboard users reach the explanation too.
      data-disabled={off ? true : undefined}
      aria-disabled={off ? true : undefined}
      aria-label={`${label}: ${user.displayName}`}
      aria-describedby={off ? describedBy : undefined}
      onClick={(e) => {
        if (off) e.preventDefault();
        else onClick();
      }}
    >
      {label}
    </Button>
  );
  return (
    <>
      {block ? (
        <Tooltip label={block} multiline w={260}>
          {button}
        </Tooltip>
      ) : (
        button
      )}
      {off && (
        <VisuallyHidden id={describedBy} data-reason>
          {block ?? t('userList.checking')}
        </VisuallyHidden>
      )}
    </>
  );
}
