import { useState, type ComponentType, type ReactNode } from 'react';
import { Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ListTable, RowAction } from '../../components/ListTable.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useFormat } from '../../i18n/format.ts';
import { useSession } from '../../session/SessionContext.tsx';
import { hasPermission } from '../../session/permissions.ts';
import { ProblemAlert } from './orgs/shared.tsx';

// One page for the organisation's named resources that power users are assigned (groups,
// domains; R-IMP-02): a create form, a table, row actions opening dialogs. What differs per
// resource (its texts, fields, second column, actions and dialogs) is a `Resource` value
// (resources/groups.tsx, resources/domains.tsx), so the two pages cannot drift apart.

export interface ResourceItem {
  id: string;
  name: string;
  createdAt: string;
}

/** What a dialog is told: close it, or close it and reload the list after a change. */
export interface DialogProps {
  onClose: () => void;
  onDone: () => void;
  mayManage: boolean;
}

export interface RowActionSpec<K extends string> {
  kind: K;
  icon: ReactNode;
  danger?: boolean;
  /** Shown only to those who may change this resource. */
  managing: boolean;
}

export interface Resource<T extends ResourceItem, K extends string> {
  /** The i18n namespace of the page's texts (`<ns>.title`, `<ns>.columns.name`, `<ns>.<kind>Title`...). */
  ns: 'groupsPage' | 'domainsPage';
  /** The permission that changes the resource (reading needs users.read, the nav checks it). */
  managePermission: string;
  list: () => Promise<T[]>;
  /** The inline create form; calls onCreated after a successful create. */
  CreateForm: ComponentType<{ onCreated: () => void }>;
  /** The column between name and creation date. */
  column: { key: string; cell: (item: T, format: ReturnType<typeof useFormat>) => ReactNode };
  /** Row actions in their order, labelled `<ns>.<kind>`; each opens its dialog, titled `<ns>.<kind>Title`. */
  actions: RowActionSpec<K>[];
  dialogSize?: (kind: K) => 'md' | 'lg';
  Dialog: ComponentType<DialogProps & { kind: K; item: T }>;
}

export function ResourcePage<T extends ResourceItem, K extends string>({
  resource,
}: {
  resource: Resource<T, K>;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { session } = useSession();
  const list = useLoad(resource.list);
  const [dialog, setDialog] = useState<{ kind: K; item: T } | null>(null);

  if (!session) return null;
  const { ns, CreateForm, Dialog } = resource;
  const mayManage = hasPermission(session, resource.managePermission);
  const actions = resource.actions.filter((a) => mayManage || !a.managing);
  const close = () => setDialog(null);
  const closeAndLoad = () => {
    setDialog(null);
    list.reload();
  };

  return (
    <Stack>
      <Title order={1} size="h2">
        {t(`${ns}.title`)}
      </Title>
      <Text c="dimmed" size="sm">
        {t(`${ns}.intro`)}
      </Text>
      {mayManage && <CreateForm onCreated={list.reload} />}
      <ProblemAlert error={list.error} />
      <ListTable
        caption={t(`${ns}.caption`)}
        columns={[
          t(`${ns}.columns.name`),
          t(`${ns}.columns.${resource.column.key}`),
          t(`${ns}.columns.created`),
        ]}
        actionsLabel={t(`${ns}.columns.actions`)}
        items={list.data}
        error={list.error}
        empty={t(`${ns}.empty`)}
        row={(item) => (
          <Table.Tr key={item.id}>
            <Table.Th scope="row">
              <Text fw={600} size="sm">
                {item.name}
              </Text>
            </Table.Th>
            <Table.Td>{resource.column.cell(item, format)}</Table.Td>
            <Table.Td>
              <Text size="sm" component="time" dateTime={item.createdAt} title={format.exact(item.createdAt)}>
                {format.date(item.createdAt)}
              </Text>
            </Table.Td>
            <Table.Td>
              {actions.length > 0 && (
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  {actions.map((action) => (
                    <RowAction
                      key={action.kind}
                      label={t(`${ns}.${action.kind}`)}
                      name={item.name}
                      icon={action.icon}
                      danger={action.danger}
                      onClick={() => setDialog({ kind: action.kind, item })}
                    />
                  ))}
                </Group>
              )}
            </Table.Td>
          </Table.Tr>
        )}
      />
      <Modal
        opened={dialog !== null}
        onClose={close}
        size={dialog ? (resource.dialogSize?.(dialog.kind) ?? 'md') : 'md'}
        title={dialog ? t(`${ns}.${dialog.kind}Title`, { name: dialog.item.name }) : ''}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {dialog && (
          <Dialog
            kind={dialog.kind}
            item={dialog.item}
            mayManage={mayManage}
            onClose={close}
            onDone={closeAndLoad}
          />
        )}
      </Modal>
    </Stack>
  );
}
