import { useState } from 'react';
import type { FormEvent } from 'react';
import { Button, Checkbox, Group, Modal, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client.ts';
import {
  addPolicyVersion,
  archivePolicy,
  createPolicy,
  type Policy,
  type PolicyKind,
} from '../../../api/policies.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { ConfirmActions } from '../../../components/ConfirmActions.tsx';

// The terms page's dialogs: create a policy, add a version (optionally published at once),
// and archive one.

export function CreatePolicyDialog({
  opened,
  parent,
  onClose,
  onDone,
}: {
  opened: boolean;
  parent: Policy | null;
  onClose: () => void;
  onDone: (p: Policy) => void;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<PolicyKind>('privacy');
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [openedFor, setOpenedFor] = useState(false);
  if (openedFor !== opened) {
    setOpenedFor(opened);
    if (opened) {
      setTitle('');
      setKind('privacy');
      setError(null);
    }
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await createPolicy({ kind: parent ? 'privacy' : kind, title, parentId: parent?.id ?? null }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fieldError = isApiError(error) ? error.fieldError('title') : undefined;
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={parent ? t('policies.createSubTitle', { title: parent.title }) : t('policies.createTitle')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          {!parent && (
            <Select
              label={t('policies.kind')}
              data={[
                { value: 'privacy', label: t('policies.kinds.privacy') },
                { value: 'terms', label: t('policies.kinds.terms') },
              ]}
              value={kind}
              onChange={(v) => setKind(v ?? 'privacy')}
              allowDeselect={false}
            />
          )}
          <TextInput
            label={t('policies.policyTitle')}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            required
            maxLength={200}
            error={fieldError}
            data-autofocus
          />
          <Text size="xs" c="dimmed">
            {t('policies.createHint')}
          </Text>
          {!fieldError && <ErrorAlert error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('policies.createSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function AddVersionDialog({
  policy,
  onClose,
  onDone,
}: {
  policy: Policy | null;
  onClose: () => void;
  onDone: (title: string, number: number, published: boolean) => void;
}) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [publish, setPublish] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [openedFor, setOpenedFor] = useState<string | null>(null);
  if (openedFor !== (policy?.id ?? null)) {
    setOpenedFor(policy?.id ?? null);
    if (policy) {
      // Start from the newest text, so a new version is an edit of the last one.
      const newest = [...policy.versions].sort((a, b) => b.number - a.number)[0];
      setBody(newest?.body ?? '');
      setPublish(false);
      setError(null);
    }
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!policy) return;
    setBusy(true);
    setError(null);
    try {
      const v = await addPolicyVersion(policy.id, { body, publish });
      onDone(policy.title, v.number, publish);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fieldError = isApiError(error) ? error.fieldError('body') : undefined;
  return (
    <Modal
      opened={policy !== null}
      onClose={onClose}
      size="lg"
      title={policy ? t('policies.addVersionTitle', { title: policy.title }) : ''}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          <Textarea
            label={t('policies.versionText')}
            description={t('policies.versionTextHint')}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            required
            autosize
            minRows={8}
            maxRows={20}
            error={fieldError}
            data-autofocus
          />
          <Checkbox
            label={t('policies.publishNow')}
            description={t('policies.publishNowHint')}
            checked={publish}
            onChange={(e) => setPublish(e.currentTarget.checked)}
          />
          {!fieldError && <ErrorAlert error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {publish ? t('policies.saveAndPublish') : t('policies.saveDraft')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function ArchiveDialog({
  policy,
  onClose,
  onDone,
}: {
  policy: Policy | null;
  onClose: () => void;
  onDone: (p: Policy) => void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const confirm = async () => {
    if (!policy) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await archivePolicy(policy.id));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      opened={policy !== null}
      onClose={onClose}
      title={policy ? t('policies.archiveTitle', { title: policy.title }) : ''}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <ConfirmActions
        alert={<ErrorAlert error={error} />}
        confirmLabel={t('policies.archiveConfirm')}
        onConfirm={() => void confirm()}
        onCancel={onClose}
        busy={busy}
      >
        <Text>
          {policy?.kind === 'privacy' && !policy.parentId
            ? t('policies.archiveBodyPrivacy')
            : t('policies.archiveBody')}
        </Text>
      </ConfirmActions>
    </Modal>
  );
}
