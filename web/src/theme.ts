import { createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  // Shade 8 on white and white on shade 8 meet the AA contrast ratio; the default 6 does not.
  primaryShade: 8,
  // Text on coloured backgrounds picks black or white for contrast.
  autoContrast: true,
  // No animations for those who ask their system for less motion.
  respectReducedMotion: true,
  defaultRadius: 'sm',
  components: {
    // Dialogs start below the impersonation banner, which stays on top of everything.
    Modal: { defaultProps: { yOffset: 'calc(var(--banner-height, 0px) + 5dvh)' } },
  },
});
