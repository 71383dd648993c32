import {
  Badge,
  Button,
  Group,
  Paper,
  Spoiler,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconArchive, IconFilePlus, IconPlus, IconSend } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { type Policy } from '../../../api/policies.ts';
import { When } from '../../../components/When.tsx';

// One policy: its title, state and versions, with publish, add-version, archive and add-sub.

export function PolicyCard({
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
