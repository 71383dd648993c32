import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import {
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Modal,
  Paper,
  Select,
  Spoiler,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { IconArchive, IconFilePlus, IconPlus, IconSend } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import {
  addPolicyVersion,
  archivePolicy,
  createPolicy,
  listPolicies,
  publishPolicyVersion,
  type Policy,
  type PolicyKind,
} from '../../api/policies.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../i18n/format.ts';

// R-IMP-12: privacy policies (with sub-policies) and terms and conditions, with their versions.
// Publishing a version makes it current: every user is asked to accept it again.

function When({ iso }: { iso: string }) {
  const format = useFormat();
  return (
    <Tooltip label={format.exact(iso)} openDelay={300}>
      <Text size="sm" component="time" dateTime={iso} tabIndex={0}>
        {format.dateTime(iso)}
      </Text>
    </Tooltip>
  );
}

type Dialog =
  | { kind: 'create'; parent: Policy | null }
  | { kind: 'version'; policy: Policy }
  | { kind: 'archive'; policy: Policy }
  | null;

export function TermsPage() {
  const { t } = useTranslation();
  const [policies, setPolicies] = useState<Policy[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState('');

  const reload = useCallback(async () => {
    try {
      setPolicies((await listPolicies()).items);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    // reload() sets state only once the server has answered.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void reload();
  }, [reload]);

  const done = (message: string) => {
    setDialog(null);
    setNotice(message);
    void reload();
  };

  const publish = async (policy: Policy, versionId: string, number: number) => {
    try {
      await publishPolicyVersion(policy.id, versionId);
      done(t('policies.publishedNotice', { title: policy.title, number }));
    } catch (e) {
      setError(e);
    }
  };

  const topLevel = (policies ?? []).filter((p) => p.parentId === null);
  const childrenOf = (p: Policy) => (policies ?? []).filter((c) => c.parentId === p.id);

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {t('policies.title')}
        </Title>
        <Button
          leftSection={<IconPlus size={16} aria-hidden />}
          onClick={() => setDialog({ kind: 'create', parent: null })}
        >
          {t('policies.create')}
        </Button>
      </Group>
      <Text c="dimmed" size="sm">
        {t('policies.intro')}
      </Text>
      <Text size="sm" role="status" aria-live="polite">
        {notice}
      </Text>
      <ErrorAlert error={error} />
      {!policies && !error && (
        <Group justify="center" p="lg">
          <Loader aria-label={t('common.loading')} />
        </Group>
      )}
      {policies?.length === 0 && (
        <Paper withBorder p="lg">
          <Text c="dimmed">{t('policies.empty')}</Text>
        </Paper>
      )}
      {topLevel.map((p) => (
        <Stack key={p.id} gap="xs">
          <PolicyCard
            policy={p}
            onAddVersion={() => setDialog({ kind: 'version', policy: p })}
            onArchive={() => setDialog({ kind: 'archive', policy: p })}
            onAddSub={
              p.kind === 'privacy' && p.inForce ? () => setDialog({ kind: 'create', parent: p }) : undefined
            }
            onPublish={(v, n) => void publish(p, v, n)}
          />
          {childrenOf(p).map((c) => (
            <Paper key={c.id} ml="xl" style={{ borderLeft: '3px solid var(--mantine-color-gray-4)' }}>
              <PolicyCard
                policy={c}
                parentTitle={p.title}
                onAddVersion={() => setDialog({ kind: 'version', policy: c })}
                onArchive={() => setDialog({ kind: 'archive', policy: c })}
                onPublish={(v, n) => void publish(c, v, n)}
              />
            </Paper>
          ))}
        </Stack>
      ))}
      <CreatePolicyDialog
        opened={dialog?.kind === 'create'}
        parent={dialog?.kind === 'create' ? dialog.parent : null}
        onClose={() => setDialog(null)}
        onDone={(p) => done(t('policies.createdNotice', { title: p.title }))}
      />
      <AddVersionDialog
        policy={dialog?.kind === 'version' ? dialog.policy : null}
        onClose={() => setDialog(null)}
        onDone={(title, number, published) =>
          done(t(published ? 'policies.publishedNotice' : 'policies.draftNotice', { title, number }))
        }
      />
      <ArchiveDialog
        policy={dialog?.kind === 'archive' ? dialog.policy : null}
        onClose={() => setDialog(null)}
        onDone={(p) => done(t('policies.archivedNotice', { title: p.title }))}
      />
    </Stack>
  );
}

function PolicyCard({
  policy,
  parentTitle,
  onAddVersion,
  onArchive,
  onAddSub,
  onPublish,
}: {
  policy: Policy;
  parentTitle?: string;
  onAddVersion: () => void;
  onArchive: () => void;
  onAddSub?: () => void;
  onPublish: (versionId: string, number: number) => void;
}) {
  const { t } = useTranslation();
  const current = policy.versions.find((v) => v.current);
  const newestPublished = Math.max(0, ...policy.versions.filter((v) => v.publishedAt).map((v) => v.number));
  const versions = [...policy.versions].sort((a, b) => b.number - a.number);
  return (
    <Paper withBorder p="md" component="section" aria-label={policy.title}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={2} size="h4">
            {policy.title}
          </Title>
          <Group gap="xs">
            <Badge variant="light" c="dark.7">
              {parentTitle
                ? t('policies.subPolicyOf', { title: parentTitle })
                : t(`policies.kinds.${policy.kind}`)}
            </Badge>
            {policy.archivedAt ? (
              <Badge color="gray" variant="light" c="dark.7">
                {t('policies.archived')}
              </Badge>
            ) : policy.inForce ? (
              <Badge color="green" variant="light" c="dark.7">
                {t('policies.inForce')}
              </Badge>
            ) : (
              <Badge color="orange" variant="light" c="dark.7">
                {t('policies.notInForce')}
              </Badge>
            )}
          </Group>
          <Text size="sm">
            {current ? t('policies.currentVersion', { number: current.number }) : t('policies.noCurrent')}
          </Text>
        </Stack>
        {!policy.archivedAt && (
          <Group gap="xs">
            <Button
              size="xs"
              variant="light"
              leftSection={<IconFilePlus size={14} aria-hidden />}
              onClick={onAddVersion}
              aria-label={t('policies.addVersionTo', { title: policy.title })}
            >
              {t('policies.addVersion')}
            </Button>
            {onAddSub && (
              <Button
                size="xs"
                variant="light"
                leftSection={<IconPlus size={14} aria-hidden />}
                onClick={onAddSub}
                aria-label={t('policies.addSubTo', { title: policy.title })}
              >
                {t('policies.addSub')}
              </Button>
            )}
            <Button
              size="xs"
              variant="light"
              color="red"
              leftSection={<IconArchive size={14} aria-hidden />}
              onClick={onArchive}
              aria-label={t('policies.archiveNamed', { title: policy.title })}
            >
              {t('policies.archive')}
            </Button>
          </Group>
        )}
      </Group>
      {versions.length > 0 && (
        <Table mt="sm" verticalSpacing="xs">
          <VisuallyHidden component="caption">
            {t('policies.versionsOf', { title: policy.title })}
          </VisuallyHidden>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('policies.columns.version')}</Table.Th>
              <Table.Th scope="col">{t('policies.columns.state')}</Table.Th>
              <Table.Th scope="col">{t('policies.columns.created')}</Table.Th>
              <Table.Th scope="col">{t('policies.columns.published')}</Table.Th>
              <Table.Th scope="col">{t('policies.columns.text')}</Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>{t('policies.columns.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {versions.map((v) => (
              <Table.Tr key={v.id}>
                <Table.Th scope="row">{t('policies.versionNumber', { number: v.number })}</Table.Th>
                <Table.Td>
                  {v.current ? (
                    <Badge color="green" c="dark.7" variant="light">
                      {t('policies.current')}
                    </Badge>
                  ) : v.publishedAt ? (
                    <Badge color="gray" c="dark.7" variant="light">
                      {t('policies.superseded')}
                    </Badge>
                  ) : (
                    <Badge color="yellow" c="dark.7" variant="light">
                      {t('policies.draft')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <When iso={v.createdAt} />
                </Table.Td>
                <Table.Td>{v.publishedAt ? <When iso={v.publishedAt} /> : '–'}</Table.Td>
                <Table.Td maw={420}>
                  <Spoiler
                    maxHeight={44}
                    showLabel={t('policies.showText')}
                    hideLabel={t('policies.hideText')}
                  >
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {v.body}
                    </Text>
                  </Spoiler>
                </Table.Td>
                <Table.Td>
                  {!v.publishedAt && !policy.archivedAt && v.number > newestPublished && (
                    <Button
                      size="xs"
                      leftSection={<IconSend size={14} aria-hidden />}
                      onClick={() => onPublish(v.id, v.number)}
                      aria-label={t('policies.publishNamed', { title: policy.title, number: v.number })}
                    >
                      {t('policies.publish')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

function CreatePolicyDialog({
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

function AddVersionDialog({
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

function ArchiveDialog({
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
      <Stack>
        <Text>
          {policy?.kind === 'privacy' && !policy.parentId
            ? t('policies.archiveBodyPrivacy')
            : t('policies.archiveBody')}
        </Text>
        <ErrorAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            {t('common.cancel')}
          </Button>
          <Button color="red" loading={busy} onClick={() => void confirm()}>
            {t('policies.archiveConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
