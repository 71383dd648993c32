import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../layout/NotFoundPage.tsx';
import { AdminArea, AdminIndex, AdminRoute } from './AdminLayout.tsx';
import { adminPages } from './nav.tsx';
import { UserPage } from './pages/UserPage.tsx';

// The admin console's routes under /admin. Loaded on demand (issue 10 #13): web/src/routes.tsx
// imports this module lazily, so the console's code is a chunk of its own that a user who only
// opens the user client never downloads.

export default function AdminRoutes() {
  const users = adminPages.find((page) => page.key === 'users');
  return (
    <Routes>
      <Route element={<AdminArea />}>
        <Route index element={<AdminIndex />} />
        {/* The user page (R-ADM-03..15) under the users entry, with its permission check. */}
        {users && (
          <Route
            path={`${users.path}/:id`}
            element={<AdminRoute page={{ ...users, component: UserPage }} />}
          />
        )}
        {adminPages.map((page) => (
          <Route key={page.key} path={`${page.path}/*`} element={<AdminRoute page={page} />} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
