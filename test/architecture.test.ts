// Issue 10 #19: the layering of DESIGN.md §3 as a test, so a shortcut fails here rather than in
// review. Routes (HTTP) -> services (rules, authorization through can()) -> stores (SQL only).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Every TypeScript module under src/, tests excluded (they may reach into any layer). */
function sourceModules(): string[] {
  const files = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: false }) as string[];
  return files
    .map((f) => join('src', f).split('\\').join('/'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('.fixtures.'))
    .sort();
}

const text = (file: string) => readFileSync(join(root, file), 'utf8');

/** The HTTP edge: src/http/ itself, the route modules, and the app that assembles them. */
const isHttpEdge = (file: string) =>
  file.startsWith('src/http/') || /(^|\/|\.)routes\.ts$/.test(file) || file === 'src/app.ts';

/** Where a module's relative import specifiers point, as paths from the project root. */
function importsOf(file: string): string[] {
  const specifiers = [...text(file).matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map(
    (m) => m[1]!,
  );
  return specifiers.map((s) =>
    relative(root, join(root, file, '..', s))
      .split('\\')
      .join('/'),
  );
}

// SQL outside a *.store.ts module, each with the reason it may stay.
const sqlAllowed: Record<string, string> = {
  'src/users/user-search.sql.ts':
    'builds the SQL fragments (filters, keyset, FTS probe) that user-search.store.ts composes',
};

const isSqlHome = (file: string) =>
  file.endsWith('.store.ts') || file.startsWith('src/db/') || file in sqlAllowed;

// Kysely's entry points for statements, and its sql`` template tag.
const sqlPattern =
  /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql(<[^>]*>)?`/;

/** A module's code without its comments (which may well name `authorize()`). */
const code = (file: string) =>
  text(file)
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');

// An authorization decision: services make it through can() (src/permissions/), never the edge.
const decisionPattern = /\b(authorize|can|hasSystemPermission)\(/;

// HTTP-edge modules that may still decide, each with the reason. The admin guard does not need
// an entry: it asks mayAdministerAtAll() (src/permissions/console-entry.ts), a pre-check.
const decisionAllowed: Record<string, string> = {};

describe('architecture (issue 10 #19)', () => {
  it('finds the modules it checks', () => {
    const files = sourceModules();
    assert.ok(files.includes('src/http/context.ts') && files.includes('src/users/users.service.ts'));
  });

  it('nothing outside the HTTP edge imports src/http/', () => {
    const offenders = sourceModules()
      .filter((f) => !isHttpEdge(f))
      .flatMap((f) =>
        importsOf(f)
          .filter((target) => target.startsWith('src/http/'))
          .map((t) => `${f} -> ${t}`),
      );
    assert.deepEqual(offenders, [], 'move what is not HTTP (context types, capability checks) to its domain');
  });

  it('SQL appears only in *.store.ts modules, db/ and the allow-listed exceptions', () => {
    const offenders = sourceModules().filter((f) => !isSqlHome(f) && sqlPattern.test(text(f)));
    assert.deepEqual(
      offenders,
      [],
      'move the statement into the domain’s *.store.ts (functions take db first)',
    );
    for (const file of Object.keys(sqlAllowed)) {
      assert.ok(sqlPattern.test(text(file)), `${file} is still an exception worth listing`);
    }
  });

  it('one definition of "power user": only permissions/can.ts compares a role with it', () => {
    const comparison = /\brole\s*[!=]==?\s*'power-user'/;
    const offenders = sourceModules().filter(
      (f) => f !== 'src/permissions/can.ts' && !f.endsWith('.sql.ts') && comparison.test(text(f)),
    );
    assert.deepEqual(offenders, [], 'ask isPowerUser() from src/permissions/can.ts');
  });

  it('authorization is decided in services: no HTTP-edge module calls authorize(), can() or hasSystemPermission()', () => {
    const offenders = sourceModules().filter(
      (f) => isHttpEdge(f) && !(f in decisionAllowed) && decisionPattern.test(code(f)),
    );
    assert.deepEqual(
      offenders,
      [],
      'let the service the route calls take the AuthedContext and call authorize() before any side effect',
    );
    for (const file of Object.keys(decisionAllowed)) {
      assert.ok(decisionPattern.test(code(file)), `${file} is still an exception worth listing`);
    }
  });

  it('the checks catch what they are meant to catch', () => {
    assert.ok(decisionPattern.test("authorize(ctx, 'users.read');"));
    assert.ok(decisionPattern.test('if (!can(actor, action).allowed) throw x;'));
    assert.ok(decisionPattern.test("hasSystemPermission(actor, 'audit.read')"));
    assert.ok(!decisionPattern.test('mayAdministerAtAll(ctx.user, opts)'));
    assert.ok(!/authorize\(/.test(code('src/http/admin-guard.ts')), 'comments are not code');
    assert.ok(sqlPattern.test("await db.selectFrom('users')"));
    assert.ok(sqlPattern.test('sql<{ n: number }>`select 1`'));
    assert.ok(!sqlPattern.test("const sqlite = 'x'"));
    assert.ok(isHttpEdge('src/users/users.routes.ts') && isHttpEdge('src/orgs/routes.ts'));
    assert.ok(!isHttpEdge('src/users/users.service.ts'));
  });
});
