import { createBrowserRouter } from 'react-router';
import { RootLayout } from './layout/RootLayout.tsx';
import { SignInPage } from './auth/SignInPage.tsx';
import { AdminArea, AdminIndex, AdminRoute, NotFoundPage } from './admin/AdminLayout.tsx';
import { adminPages } from './admin/nav.tsx';
import { UserPage } from './admin/pages/UserPage.tsx';
import { ClientArea } from './client/ClientLayout.tsx';
import { StartPage } from './client/StartPage.tsx';
import { ProfilePage } from './client/ProfilePage.tsx';
import { NotificationsPage } from './client/NotificationsPage.tsx';

// Two areas in one app: the admin console under /admin (its pages come from admin/nav.tsx) and
// the user client under /. The root layout (impersonation banner) frames both.
//
// The server answers index.html for every non-API path a browser asks for, so any route here
// can be opened directly or reloaded.

export const router = createBrowserRouter([
  {
    element: <RootLayout />,
    children: [
      { path: '/admin/sign-in', element: <SignInPage area="admin" /> },
      {
        path: '/admin',
        element: <AdminArea />,
        children: [
          { index: true, element: <AdminIndex /> },
          // The user page (R-ADM-03..15) under the users entry, with its permission check.
          ...adminPages
            .filter((page) => page.key === 'users')
            .map((page) => ({
              path: `${page.path}/:id`,
              element: <AdminRoute page={{ ...page, component: UserPage }} />,
            })),
          ...adminPages.map((page) => ({ path: `${page.path}/*`, element: <AdminRoute page={page} /> })),
          { path: '*', element: <NotFoundPage /> },
        ],
      },
      { path: '/sign-in', element: <SignInPage area="client" /> },
      {
        path: '/',
        element: <ClientArea />,
        children: [
          { index: true, element: <StartPage /> },
          { path: 'profile', element: <ProfilePage /> },
          { path: 'notifications', element: <NotificationsPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
