import { Alert, List } from '@mantine/core';
import { IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ChainCheck } from '../../../api/audit.ts';
import { useFormat } from '../../../i18n/format.ts';

// The verdict of "Verify chain" (R-IMP-08, issue 7 #9): intact with the last signed checkpoint,
// or each finding: the first broken event, a bad checkpoint, events cut off the end.

export function ChainCheckResult({ result }: { result: ChainCheck }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (result.ok) {
    return (
      <Alert
        color="green"
        icon={<IconShieldCheck aria-hidden />}
        title={t('auditTrail.intactTitle')}
        styles={{
          title: { color: 'var(--mantine-color-dark-7)' },
          label: { color: 'var(--mantine-color-dark-7)' },
        }}
      >
        {t('auditTrail.intact', { count: result.checked, checked: format.number(result.checked) })}{' '}
        {result.lastCheckpoint
          ? t('auditTrail.lastCheckpoint', {
              position: format.number(result.lastCheckpoint.position),
              at: format.dateTime(result.lastCheckpoint.createdAt),
            })
          : t('auditTrail.noCheckpoint')}
      </Alert>
    );
  }
  const { firstBroken, badCheckpoint, truncated } = result;
  return (
    <Alert color="red" icon={<IconShieldX aria-hidden />} title={t('auditTrail.brokenTitle')}>
      <List size="sm">
        {firstBroken && (
          <List.Item>
            {t('auditTrail.broken', {
              seq: format.number(firstBroken.seq),
              id: firstBroken.id,
              reason: t(`auditTrail.brokenReasons.${firstBroken.reason}`),
            })}
          </List.Item>
        )}
        {badCheckpoint && (
          <List.Item>
            {t('auditTrail.badCheckpoint', {
              position: format.number(badCheckpoint.position),
              reason: t(`auditTrail.checkpointProblems.${badCheckpoint.reason}`),
            })}
          </List.Item>
        )}
        {truncated && (
          <List.Item>
            {t('auditTrail.truncated', {
              position: format.number(truncated.checkpointPosition),
              end: format.number(truncated.chainEnd),
            })}
          </List.Item>
        )}
      </List>
    </Alert>
  );
}
