import type { CSSProperties, ReactNode } from 'react';
import { Anchor, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';

// Issue 10 #17: the user page was one scroll of about 3,000 px. A bar of links to its sections
// stays at the top; each link jumps to its section (plain anchors: the browser scrolls and the
// address names the section, so a link to it can be shared and "back" returns).

// Inline rather than a CSS module: a stylesheet of a few rules would be a chunk of its own that
// compression cannot shrink (test/web.test.ts).
/** Sticks below the console's header (56px) and the impersonation banner. */
const barStyle: CSSProperties = {
  position: 'sticky',
  top: 'calc(var(--banner-height, 0px) + 56px)',
  zIndex: 50,
  paddingBlock: 'var(--mantine-spacing-xs)',
  background: 'var(--mantine-color-body)',
  borderBottom: '1px solid var(--mantine-color-gray-3)',
};
/** A section reached through a link starts below the header and the bar, not under them. */
const targetStyle: CSSProperties = { scrollMarginTop: 'calc(var(--banner-height, 0px) + 56px + 64px)' };

export interface PageSection {
  /** The anchor: #user-<key>. */
  key: string;
  /** i18n key of the section's title, the link's text. */
  title: string;
  content: ReactNode;
}

export function SectionNav({ sections }: { sections: PageSection[] }) {
  const { t } = useTranslation();
  return (
    <nav style={barStyle} aria-label={t('userPage.sectionNav')}>
      <Group gap="md" component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {sections.map((s) => (
          <li key={s.key}>
            <Anchor href={`#user-${s.key}`} size="sm">
              {t(s.title)}
            </Anchor>
          </li>
        ))}
      </Group>
    </nav>
  );
}

/** The sections, each wrapped so its anchor lands below the sticky bars. */
export function SectionTargets({ sections }: { sections: PageSection[] }) {
  return sections.map((s) => (
    <div key={s.key} id={`user-${s.key}`} style={targetStyle}>
      {s.content}
    </div>
  ));
}
