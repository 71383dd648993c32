import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Group, List, Loader, Modal, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  endImpersonationOfMe,
  getImpersonationOfMe,
  listImpersonationsOfMe,
  type DoneWhileActing,
  type ImpersonationOfMe,
} from '../../api/impersonations-of-me.ts';
import { ConfirmActions } from '../../components/ConfirmActions.tsx';
import { useFormat } from '../../i18n/format.ts';
import { auditSentence } from '../../i18n/audit-sentence.ts';
import { BlockedNotice, ProfileError, Section, useBlocked } from './shared.tsx';

/**
 * Issue 12, "who acted as me": every impersonation of the user's account, who acted, why, how it
 * ended, what was done in the user's name; a running one can be ended here. While an
 * administrator acts as the user, the list stays readable but ending is theirs ("back").
 */
export function WhoActedSection() {
  const { t } = useTranslation();
  const blocked = useBlocked('sessions.end');
  const [items, setItems] = useState<ImpersonationOfMe[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [ending, setEnding] = useState<ImpersonationOfMe | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const page = await listImpersonationsOfMe();
      setItems(page.items);
      setNext(page.nextCursor);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    listImpersonationsOfMe().then((page) => {
      setItems(page.items);
      setNext(page.nextCursor);
    }, setError);
  }, []);

  const more = async () => {
    if (!next) return;
    try {
      const page = await listImpersonationsOfMe(next);
      setItems((old) => [...(old ?? []), ...page.items]);
      setNext(page.nextCursor);
    } catch (e) {
      setError(e);
    }
  };

  const end = async () => {
    if (!ending) return;
    setBusy(true);
    try {
      await endImpersonationOfMe(ending.id);
      setEnding(null);
      setError(null);
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section
      id="who-acted"
      title={t('profile.whoActed.title')}
      description={t('profile.whoActed.description')}
    >
      <Stack gap="sm">
        {!items && !error && <Loader size="sm" role="status" aria-label={t('common.loading')} />}
        {items?.length === 0 && <Text size="sm">{t('profile.whoActed.none')}</Text>}
        {items && items.length > 0 && (
          <Table.ScrollContainer minWidth={640}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('profile.whoActed.who')}</Table.Th>
                  <Table.Th>{t('profile.whoActed.when')}</Table.Th>
                  <Table.Th>{t('profile.whoActed.reason')}</Table.Th>
                  <Table.Th>{t('profile.whoActed.status')}</Table.Th>
                  <Table.Th>{t('profile.whoActed.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((i) => (
                  <Row
                    key={i.id}
                    item={i}
                    open={open === i.id}
                    onToggle={() => setOpen(open === i.id ? null : i.id)}
                    onEnd={blocked ? null : () => setEnding(i)}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {next && (
          <Group>
            <Button variant="default" size="xs" onClick={() => void more()}>
              {t('profile.whoActed.more')}
            </Button>
          </Group>
        )}
        {blocked && items?.some((i) => i.active) && <BlockedNotice />}
        {!ending && <ProfileError error={error} />}
      </Stack>
      <Modal
        opened={ending !== null}
        onClose={() => setEnding(null)}
        title={t('profile.whoActed.confirmTitle')}
      >
        <ConfirmActions
          confirmLabel={t('profile.whoActed.end')}
          onConfirm={() => void end()}
          onCancel={() => setEnding(null)}
          busy={busy}
          alert={<ProfileError error={error} />}
        >
          <Text size="sm">
            {t('profile.whoActed.confirmBody', { actor: ending?.actor.displayName ?? '' })}
          </Text>
        </ConfirmActions>
      </Modal>
    </Section>
  );
}

function Row({
  item,
  open,
  onToggle,
  onEnd,
}: {
  item: ImpersonationOfMe;
  open: boolean;
  onToggle: () => void;
  onEnd: (() => void) | null;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const until = item.endedAt ?? (item.active ? null : item.expiresAt);
  return (
    <>
      <Table.Tr data-testid="who-acted-row">
        <Table.Td>{item.actor.displayName}</Table.Td>
        <Table.Td title={format.exact(item.startedAt)}>
          {format.dateTime(item.startedAt)}
          {until && ` – ${format.time(until)}`}
        </Table.Td>
        <Table.Td>{item.reason || t('profile.whoActed.noReason')}</Table.Td>
        <Table.Td>
          {item.active ? (
            <Badge color="orange" variant="light">
              {t('profile.whoActed.running')}
            </Badge>
          ) : (
            <Text size="sm">
              {item.endReason
                ? t(`impersonations.endReasons.${item.endReason}`, { defaultValue: item.endReason })
                : t('profile.whoActed.expired')}
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          <Group gap="xs" wrap="nowrap">
            <Button size="xs" variant="subtle" onClick={onToggle} aria-expanded={open}>
              {open ? t('profile.whoActed.hide') : t('profile.whoActed.show')}
            </Button>
            {item.active && onEnd && (
              <Button size="xs" color="red" variant="light" onClick={onEnd}>
                {t('profile.whoActed.end')}
              </Button>
            )}
          </Group>
        </Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr>
          <Table.Td colSpan={5}>
            <DoneList id={item.id} actor={item.actor.displayName} />
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

/** What was done in the user's name, one sentence per audit event. */
function DoneList({ id, actor }: { id: string; actor: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [done, setDone] = useState<DoneWhileActing[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    getImpersonationOfMe(id).then((d) => setDone(d.done), setError);
  }, [id]);
  if (error) return <ProfileError error={error} />;
  if (!done) return <Loader size="xs" role="status" aria-label={t('common.loading')} />;
  if (done.length === 0) return <Text size="sm">{t('profile.whoActed.nothingDone')}</Text>;
  return (
    <List size="sm" spacing={4} data-testid="who-acted-done">
      {done.map((d, n) => (
        <List.Item key={n}>
          {`${format.dateTime(d.at)}: `}
          {auditSentence(t, { actor, asYou: true, action: d.action, fields: d.fields })}
        </List.Item>
      ))}
    </List>
  );
}
