// Issue 10 #11: the console filters by a list of actions. That list must hold every action the
// server writes (a scan of the code, as test/web-words.test.ts does for their words), and the
// filter's parsing is a pure rule, tested by a table.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { coreCapabilities } from '../permissions/capabilities.ts';
import { generalPermissions, systemPermissions } from '../permissions/catalogue.ts';
import { auditActions, parseActionList } from './actions.ts';

const roots = ['../', '../../scripts/'].map((p) => new URL(p, import.meta.url).pathname);

function files(path: string): string[] {
  return readdirSync(path).flatMap((name) => {
    const full = join(path, name);
    if (statSync(full).isDirectory()) return files(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

/**
 * Literals shaped like an action in a known namespace, and any `action: '<a>.<b>'` (an action in
 * a namespace the list does not know yet).
 */
function writtenActions(): string[] {
  const namespaces = [...new Set(auditActions.map((a) => a.split('.')[0]))];
  const shape = new RegExp(`'((?:${namespaces.join('|')})\\.[a-z_]+)'`, 'g');
  const notActions = new Set<string>([
    ...systemPermissions,
    ...generalPermissions,
    ...coreCapabilities,
    'impersonation.ended_by_subject',
    // Issue 12 #3, #4: notification types only (break-glass is marked in `impersonation.started`).
    'impersonation.consent_requested',
    'impersonation.request_approved',
    'impersonation.request_declined',
    'impersonation.break_glass',
  ]);
  const found = new Set<string>();
  for (const file of roots.flatMap(files)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(shape)) if (!notActions.has(m[1]!)) found.add(m[1]!);
    for (const m of text.matchAll(/\baction: '([a-z_]+\.[a-z_]+)'/g)) found.add(m[1]!);
  }
  return [...found].sort();
}

describe('the list of audit actions (issue 10 #11)', () => {
  it('issue 10 #11: holds every action the server writes, once', () => {
    const listed = new Set<string>(auditActions);
    assert.equal(listed.size, auditActions.length);
    assert.deepEqual(
      writtenActions().filter((a) => !listed.has(a)),
      [],
    );
  });

  it('issue 10 #11: the action filter takes one code or several; anything else is refused', () => {
    const table: Array<[string, string[] | null]> = [
      ['user.created', ['user.created']],
      ['user.created,user.deleted', ['user.created', 'user.deleted']],
      [' user.created , user.created ', ['user.created']],
      ['no.such_action', ['no.such_action']],
      ['', null],
      [',', null],
      ['user', null],
      ['User.Created', null],
      ['user.created;drop', null],
      ['user.created,', ['user.created']],
      [Array.from({ length: auditActions.length + 1 }, (_, i) => `a.b${'c'.repeat(i)}`).join(','), null],
    ];
    for (const [input, expected] of table) assert.deepEqual(parseActionList(input), expected, input);
  });
});
