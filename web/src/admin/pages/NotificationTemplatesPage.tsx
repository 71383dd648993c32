import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconDeviceFloppy } from '@tabler/icons-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import {
  getTemplate,
  listTemplates,
  previewTemplate,
  saveTemplate,
  templateLanguages,
  templateTypes,
  type NotificationTemplate,
  type TemplatePreview,
  type TemplateType,
} from '../../api/templates.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useFormat } from '../../i18n/format.ts';

// R-IMP-09: the texts of the impersonation notifications, per type and language, for
// superadmins and holders of notifications.manage (never power users). The preview renders the
// draft with example values on the server; saving sends If-Match, and a conflict keeps the text.

type Lang = (typeof templateLanguages)[number];
interface Draft {
  subject: string;
  body: string;
  enabled: boolean;
}
const keyOf = (type: string, language: string) => `${type}/${language}`;
const draftOf = (t: NotificationTemplate): Draft => ({
  subject: t.subject,
  body: t.body,
  enabled: t.enabled,
});

export function NotificationTemplatesPage() {
  const { t } = useTranslation();
  const [templates, setTemplates] = useState<Record<string, NotificationTemplate> | null>(null);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [error, setError] = useState<unknown>(null);
  const [type, setType] = useState<TemplateType>('impersonation.started');
  const [language, setLanguageTab] = useState<Lang>('en');

  useEffect(() => {
    listTemplates().then(
      (answer) => {
        const byKey: Record<string, NotificationTemplate> = {};
        for (const item of answer.items) byKey[keyOf(item.type, item.language)] = item;
        setTemplates(byKey);
      },
      (e: unknown) => setError(e),
    );
  }, []);

  const key = keyOf(type, language);
  const template = templates?.[key];

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('templates.title')}
      </Title>
      <Text c="dimmed" size="sm">
        {t('templates.intro')}
      </Text>
      <ErrorAlert error={error} />
      <Tabs value={type} onChange={(v) => v && setType(v as TemplateType)} keepMounted={false}>
        <Tabs.List aria-label={t('templates.typeLabel')}>
          {templateTypes.map((ty) => (
            <Tabs.Tab key={ty} value={ty}>
              {t(`templates.types.${ty}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <LanguagePicker value={language} onChange={setLanguageTab} />
      {!templates && !error && (
        <Group justify="center" p="lg">
          <Loader role="status" aria-label={t('common.loading')} />
        </Group>
      )}
      {template && (
        <TemplateEditor
          key={key}
          template={template}
          draft={drafts[key] ?? draftOf(template)}
          onDraft={(d) => setDrafts((all) => ({ ...all, [key]: d }))}
          onSaved={(saved) => {
            setTemplates((all) => ({ ...all, [key]: saved }));
            setDrafts((all) => ({ ...all, [key]: draftOf(saved) }));
          }}
          onBase={(latest, discard) => {
            setTemplates((all) => ({ ...all, [key]: latest }));
            if (discard) setDrafts((all) => ({ ...all, [key]: draftOf(latest) }));
          }}
        />
      )}
    </Stack>
  );
}

function LanguagePicker({ value, onChange }: { value: Lang; onChange: (l: Lang) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <Group gap="sm">
      <Text size="sm" fw={500} id={id}>
        {t('templates.language')}
      </Text>
      <div role="group" aria-labelledby={id}>
        <SegmentedControl
          value={value}
          onChange={(v) => onChange(v)}
          data={templateLanguages.map((l) => ({ value: l, label: t(`templates.languages.${l}`) }))}
        />
      </div>
    </Group>
  );
}

function TemplateEditor({
  template,
  draft,
  onDraft,
  onSaved,
  onBase,
}: {
  template: NotificationTemplate;
  draft: Draft;
  onDraft: (d: Draft) => void;
  onSaved: (t: NotificationTemplate) => void;
  onBase: (latest: NotificationTemplate, discard: boolean) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const conflict = isApiError(error) && error.status === 412;
  const changed =
    draft.subject !== template.subject || draft.body !== template.body || draft.enabled !== template.enabled;

  const [previewInput] = useDebouncedValue(`${draft.subject}\u0000${draft.body}`, 350);
  const [preview, setPreview] = useState<{ for: string; result: TemplatePreview | null; error: unknown }>({
    for: '',
    result: null,
    error: null,
  });
  useEffect(() => {
    const [subject = '', body = ''] = previewInput.split('\u0000');
    const controller = new AbortController();
    // Empty fields are not sent (the server would refuse them); it renders the stored text instead.
    previewTemplate(
      template.type,
      template.language,
      { subject: subject.trim() ? subject : undefined, body: body.trim() ? body : undefined },
      controller.signal,
    ).then(
      (result) => setPreview({ for: previewInput, result, error: null }),
      (e: unknown) => {
        if (!controller.signal.aborted) setPreview({ for: previewInput, result: null, error: e });
      },
    );
    return () => controller.abort();
  }, [previewInput, template.type, template.language]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      onSaved(await saveTemplate(template, draft));
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const rebase = useCallback(
    async (discard: boolean) => {
      try {
        const latest = await getTemplate(template.type, template.language);
        onBase(latest, discard);
        setError(null);
      } catch (err) {
        setError(err);
      }
    },
    [template.type, template.language, onBase],
  );

  const subjectError = isApiError(error) ? error.fieldError('subject') : undefined;
  const bodyError = isApiError(error) ? error.fieldError('body') : undefined;

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
      <Paper withBorder p="md" component="form" onSubmit={(e: FormEvent) => void submit(e)}>
        <Stack>
          <Group justify="space-between">
            <Title order={2} size="h4">
              {t('templates.editorTitle', {
                type: t(`templates.types.${template.type}`),
                language: t(`templates.languages.${template.language}`),
              })}
            </Title>
            <Badge variant="light" c="dark.7" color={template.customized ? 'blue' : 'gray'}>
              {template.customized ? t('templates.customized') : t('templates.default')}
            </Badge>
          </Group>
          {template.updatedAt && (
            <Text size="xs" c="dimmed">
              {t('templates.updatedAt', { when: format.dateTime(template.updatedAt) })}
            </Text>
          )}
          <Switch
            label={t('templates.enabled')}
            description={t('templates.enabledHint')}
            checked={draft.enabled}
            onChange={(e) => onDraft({ ...draft, enabled: e.currentTarget.checked })}
          />
          <TextInput
            label={t('templates.subject')}
            value={draft.subject}
            onChange={(e) => onDraft({ ...draft, subject: e.currentTarget.value })}
            required
            maxLength={200}
            error={subjectError}
          />
          <Textarea
            label={t('templates.body')}
            value={draft.body}
            onChange={(e) => onDraft({ ...draft, body: e.currentTarget.value })}
            required
            autosize
            minRows={8}
            maxRows={20}
            error={bodyError}
          />
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('templates.variables')}
            </Text>
            <Table fz="sm" verticalSpacing={4}>
              <VisuallyHidden component="caption">{t('templates.variables')}</VisuallyHidden>
              <Table.Tbody>
                {template.variables.map((v) => (
                  <Table.Tr key={v}>
                    <Table.Th scope="row" w={150}>
                      <Code>{`{${v}}`}</Code>
                    </Table.Th>
                    <Table.Td>{t(`templates.variableHelp.${v}`, { defaultValue: '' })}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
          {conflict && (
            <Alert
              color="orange"
              icon={<IconAlertTriangle aria-hidden />}
              title={t('templates.conflictTitle')}
              role="alert"
            >
              <Stack gap="xs">
                <Text size="sm">{t('templates.conflict')}</Text>
                <Group gap="xs">
                  <Button size="xs" variant="default" onClick={() => void rebase(false)}>
                    {t('templates.keepMine')}
                  </Button>
                  <Button size="xs" variant="default" onClick={() => void rebase(true)}>
                    {t('templates.loadTheirs')}
                  </Button>
                </Group>
              </Stack>
            </Alert>
          )}
          {!conflict && !subjectError && !bodyError && <ErrorAlert error={error} />}
          <Group justify="space-between">
            <Text size="sm" c="green.9" role="status" aria-live="polite">
              {saved && !changed ? t('templates.saved') : ''}
            </Text>
            <Group gap="xs">
              <Button variant="default" disabled={!changed} onClick={() => onDraft(draftOf(template))}>
                {t('templates.reset')}
              </Button>
              <Button
                type="submit"
                loading={busy}
                disabled={!changed}
                leftSection={<IconDeviceFloppy size={16} aria-hidden />}
              >
                {t('templates.save')}
              </Button>
            </Group>
          </Group>
        </Stack>
      </Paper>
      <Paper withBorder p="md" component="section" aria-label={t('templates.preview')}>
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t('templates.preview')}
          </Title>
          <Text size="xs" c="dimmed">
            {t('templates.previewHint')}
          </Text>
          {!draft.enabled && (
            <Alert color="gray" variant="light">
              {t('templates.disabledNote')}
            </Alert>
          )}
          {preview.result && (
            <>
              <Text size="sm" c="dimmed">
                {t('templates.previewSubject')}
              </Text>
              <Text fw={700} data-testid="preview-subject">
                {preview.result.subject}
              </Text>
              <Text size="sm" c="dimmed">
                {t('templates.previewBody')}
              </Text>
              <Paper bg="var(--mantine-color-gray-0)" p="sm">
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="preview-body">
                  {preview.result.body}
                </Text>
              </Paper>
              {preview.result.unknownVariables.length > 0 && (
                <Alert color="orange" icon={<IconAlertTriangle aria-hidden />}>
                  {t('templates.unknownVariables', {
                    names: preview.result.unknownVariables.map((u) => `{${u}}`).join(', '),
                  })}
                </Alert>
              )}
            </>
          )}
          <ErrorAlert error={preview.error} />
        </Stack>
      </Paper>
    </SimpleGrid>
  );
}
