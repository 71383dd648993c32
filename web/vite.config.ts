import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// One build for both areas (admin console under /admin, user client under /), served by the
// server itself from web/dist. `npm run dev:web` serves it with hot reload and sends /api to a
// server running on :8080 (start it with `PUBLIC_URL=http://localhost:5173 npm start`: the
// browser's Origin is then :5173, and the CSRF guard accepts PUBLIC_URL's origin only).

/**
 * Issue 10 #13: each built script and style sheet also as .br and .gz, compressed once at the
 * highest levels, so the server sends the smallest form a browser accepts without compressing
 * per request (src/http/web.ts serves them with @fastify/static's `preCompressed`).
 */
function precompress(): Plugin {
  return {
    name: 'behalf-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir ?? 'dist';
      for (const name of Object.keys(bundle)) {
        if (!/\.(js|css|svg|json)$/.test(name)) continue;
        const path = join(dir, name);
        const body = readFileSync(path);
        writeFileSync(
          `${path}.br`,
          brotliCompressSync(body, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
              [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
            },
          }),
        );
        writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), precompress()],
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
