import { useCallback, useEffect, useState } from 'react';
import { Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { listPolicies, publishPolicyVersion, type Policy } from '../../api/policies.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PolicyCard } from './terms/PolicyCard.tsx';
import { AddVersionDialog, ArchiveDialog, CreatePolicyDialog } from './terms/PolicyDialogs.tsx';

// R-IMP-12: privacy policies (with sub-policies) and terms and conditions, with their versions.
// Publishing a version makes it current: every user is asked to accept it again.

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
          <Loader role="status" aria-label={t('common.loading')} />
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
