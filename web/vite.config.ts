import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// One build for both areas (admin console under /admin, user client under /), served by the
// server itself from web/dist. `npm run dev:web` serves it with hot reload and sends /api to a
// server running on :8080 (start it with `PUBLIC_URL=http://localhost:5173 npm start`: the
// browser's Origin is then :5173, and the CSRF guard accepts PUBLIC_URL's origin only).
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed file names under /assets/: the server caches them for a year.
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
});
