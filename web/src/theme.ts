import { createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  // Text on coloured backgrounds picks black or white for contrast.
  autoContrast: true,
  defaultRadius: 'sm',
  components: {
    // Dialogs start below the impersonation banner, which stays on top of everything.
    Modal: { defaultProps: { yOffset: 'calc(var(--banner-height, 0px) + 5dvh)' } },
  },
});
