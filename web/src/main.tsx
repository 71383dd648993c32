import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { RouterProvider } from 'react-router';
import { setNonce } from 'get-nonce';
import '@mantine/core/styles.css';
import './global.css';
import './i18n/index.ts';
import { theme } from './theme.ts';
import { SessionProvider } from './session/SessionContext.tsx';
import { router } from './routes.tsx';

// The Content-Security-Policy admits <style> elements only with this page's nonce (the server
// writes a fresh one into the page for every load); the component library adds its few
// <style> elements with it, and so does its scroll lock for dialogs (through get-nonce).
const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';
setNonce(nonce);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} forceColorScheme="light" getStyleNonce={() => nonce}>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </MantineProvider>
  </StrictMode>,
);
