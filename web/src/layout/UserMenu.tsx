import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconLogout, IconUser, IconLayoutDashboard } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session/SessionContext.tsx';
import { isAdministrator } from '../session/permissions.ts';

/** The signed-in person, a link to the other area, and sign-out. */
export function UserMenu({ area }: { area: 'admin' | 'client' }) {
  const { t } = useTranslation();
  const { session, signOut } = useSession();
  const navigate = useNavigate();
  if (!session) return null;
  const initials = session.user.displayName
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
  const out = async () => {
    await signOut();
    await navigate(area === 'admin' ? '/admin/sign-in' : '/sign-in');
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton title={t('userMenu.label', { name: session.user.displayName })}>
          <Group gap="xs" wrap="nowrap">
            <Avatar size="sm" color="blue" radius="xl" aria-hidden>
              {initials}
            </Avatar>
            <Text size="sm">{session.user.displayName}</Text>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        {area === 'admin' ? (
          <Menu.Item leftSection={<IconUser size={16} aria-hidden />} onClick={() => void navigate('/')}>
            {t('userMenu.myAccount')}
          </Menu.Item>
        ) : (
          // The subject's console while acting (issue 10 #4): `session` carries their rights.
          isAdministrator(session) && (
            <Menu.Item
              leftSection={<IconLayoutDashboard size={16} aria-hidden />}
              onClick={() => void navigate('/admin')}
            >
              {t('userMenu.administration')}
            </Menu.Item>
          )
        )}
        <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={() => void out()}>
          {t('userMenu.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
