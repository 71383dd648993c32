import { useState } from 'react';
import { Button, Group, Loader, Stack } from '@mantine/core';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { getMembers, setMembers, type Member } from '../../../api/orgs.ts';
import { useAction } from '../../../components/useLoad.ts';
import { useVersion } from '../../../components/useVersion.ts';
import { UserMultiPicker } from '../../../components/UserPicker.tsx';
import { ProblemAlert, fieldError } from '../orgs/shared.tsx';
import type { GroupFormProps } from './GroupDialogs.tsx';

// A group's members: read with their version, saved with If-Match; after a conflict "reload"
// takes the fresh version's ETag and the members chosen here stay.

export function MembersForm({ group, mayManage, onClose, onDone }: GroupFormProps & { mayManage: boolean }) {
  const { t } = useTranslation();
  const [members, setMembersState] = useState<Member[] | null>(null);
  const version = useVersion(
    () => getMembers(group.id),
    group.id,
    (data) => setMembersState(data.users),
  );
  const saving = useAction();
  const error = saving.error ?? version.error;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!members) return;
    void saving.run(async () => {
      version.setError(null);
      await setMembers(
        group.id,
        members.map((m) => m.id),
        version.etag,
      );
    }, onDone);
  };
  const reload = () => void version.reload().then(() => saving.setError(null));
  if (!members) {
    return error ? (
      <ProblemAlert error={error} />
    ) : (
      <Group justify="center" p="lg">
        <Loader role="status" aria-label={t('common.loading')} />
      </Group>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <UserMultiPicker
          label={t('groupsPage.membersLabel')}
          description={t('groupsPage.membersHint')}
          value={members}
          onChange={setMembersState}
          error={fieldError(error, 'users')}
          disabled={!mayManage}
        />
        <ProblemAlert error={error} onReload={reload} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={saving.busy}>
            {mayManage ? t('common.cancel') : t('common.close')}
          </Button>
          {mayManage && (
            <Button type="submit" loading={saving.busy}>
              {t('orgs.save')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
