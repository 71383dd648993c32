import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

// Loaded with `--import` (bench/idle-rss.ts, src/oidc/lazy-start.test.ts): appends the URL of every module the process
// resolves to the file named by BEHALF_MODULE_TRACE, so a run can tell what a start loaded.
const file = process.env.BEHALF_MODULE_TRACE;
if (file) {
  registerHooks({
    resolve(specifier, context, next) {
      const result = next(specifier, context);
      appendFileSync(file, `${result.url}\n`);
      return result;
    },
  });
}
