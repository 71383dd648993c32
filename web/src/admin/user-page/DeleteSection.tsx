import { useState } from 'react';
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { deleteUser } from '../../api/user-detail.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { EditError, Refused, refusal, Section, useUserPage } from './shared.tsx';

/** R-ADM-15: deleting asks for the user's ID, typed, before the button does anything. */
export function DeleteSection() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { session } = useSession();
  const { user, etag, reload } = useUserPage();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!session) return null;
  const refused = refusal(session, user, 'delete');
  const matches = typed.trim() === user.id;

  const remove = async () => {
    setBusy(true);
    try {
      await deleteUser(user.id, etag, typed.trim());
      void navigate('/admin/users', { state: { deleted: user.displayName } });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Section title={t('userPage.delete.title')}>
      <Refused reason={refused} />
      <Text size="sm">{t('userPage.delete.hint')}</Text>
      {!refused && (
        <Group>
          <Button
            color="red"
            variant="light"
            leftSection={<IconTrash size={16} aria-hidden />}
            onClick={() => setOpen(true)}
          >
            {t('userPage.delete.open')}
          </Button>
        </Group>
      )}
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={t('userPage.delete.dialogTitle', { name: user.displayName })}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (matches) void remove();
          }}
        >
          <Stack>
            <Text size="sm">{t('userPage.delete.dialogBody')}</Text>
            <Text size="sm" ff="monospace">
              {user.id}
            </Text>
            <TextInput
              label={t('userPage.delete.typeId')}
              value={typed}
              onChange={(e) => setTyped(e.currentTarget.value)}
              autoComplete="off"
              spellCheck={false}
              data-autofocus
            />
            <EditError error={error} onReload={() => void reload().then(() => setError(null), setError)} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" color="red" disabled={!matches} loading={busy}>
                {t('userPage.delete.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Section>
  );
}
