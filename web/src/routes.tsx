import { createBrowserRouter } from 'react-router';
import { RootLayout } from './layout/RootLayout.tsx';
import { NotFoundPage } from './layout/NotFoundPage.tsx';
import { SignInPage } from './auth/SignInPage.tsx';
import { ClientArea } from './client/ClientLayout.tsx';
import { StartPage } from './client/StartPage.tsx';
import { ProfilePage } from './client/ProfilePage.tsx';
import { NotificationsPage } from './client/NotificationsPage.tsx';
import { ConsentPage } from './client/ConsentPage.tsx';

// Two areas in one app: the admin console under /admin (its routes in admin/AdminRoutes.tsx,
// loaded on demand: issue 10 #13) and the user client under /. The root layout (impersonation
// banner) frames both.
//
// The server answers index.html for every non-API path a browser asks for, so any route here
// can be opened directly or reloaded.

export const router = createBrowserRouter([
  {
    element: <RootLayout />,
    children: [
      { path: '/admin/sign-in', element: <SignInPage area="admin" /> },
      {
        path: '/admin/*',
        lazy: async () => ({ Component: (await import('./admin/AdminRoutes.tsx')).default }),
      },
      { path: '/sign-in', element: <SignInPage area="client" /> },
      {
        path: '/',
        element: <ClientArea />,
        children: [
          { index: true, element: <StartPage /> },
          { path: 'profile', element: <ProfilePage /> },
          { path: 'notifications', element: <NotificationsPage /> },
          { path: 'consent', element: <ConsentPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
