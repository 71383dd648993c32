// issue 10 #10: people see words, not codes. Every audit action the server writes, every audit
// target type and every core blocked capability has German and English text in the web app.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { coreCapabilities } from '../src/permissions/capabilities.ts';
import { generalPermissions, systemPermissions } from '../src/permissions/catalogue.ts';
import { auditTargetTypes } from '../src/audit/audit.ts';
import { loadStrings } from './web-strings.ts';

const srcDir = new URL('../src/', import.meta.url).pathname;
const namespaces = [
  'auth',
  'account',
  'app',
  'user',
  'domain',
  'group',
  'impersonation',
  'notification',
  'notification_template',
  'operator',
  'policy',
  'settings',
  'terms',
];

function files(path: string): string[] {
  return readdirSync(path).flatMap((name) => {
    const full = join(path, name);
    if (statSync(full).isDirectory()) return files(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

/**
 * The audit actions in the server's code: string literals shaped `<namespace>.<name>` in an
 * audit namespace, minus permission and capability names (`settings.manage`, `password.change`)
 * and the one notification type that is no audit action.
 */
function auditActions(): string[] {
  const shape = new RegExp(`'((?:${namespaces.join('|')})\\.[a-z_]+)'`, 'g');
  const notActions = new Set<string>([
    ...systemPermissions,
    ...generalPermissions,
    ...coreCapabilities,
    // Told to the actor when the user ends an impersonation; the audit action is `impersonation.ended`.
    'impersonation.ended_by_subject',
    // Issue 12 #3, #4: notifications only (break-glass is marked in `impersonation.started`).
    'impersonation.consent_requested',
    'impersonation.request_approved',
    'impersonation.request_declined',
    'impersonation.break_glass',
  ]);
  const found = new Set<string>();
  for (const file of files(srcDir)) {
    for (const m of readFileSync(file, 'utf8').matchAll(shape)) {
      if (!notActions.has(m[1]!)) found.add(m[1]!);
    }
  }
  return [...found].sort();
}

function lookup(tree: Record<string, unknown>, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], tree);
}

describe('words instead of codes (issue 10 #10)', () => {
  const actions = auditActions();

  it('issue 10 #10: the scan finds the audit actions (R-ADM-05: user.deactivated, impersonation.started)', () => {
    for (const known of ['user.created', 'user.deactivated', 'impersonation.started', 'auth.login_failed']) {
      assert.ok(actions.includes(known), known);
    }
  });

  for (const lng of ['en', 'de']) {
    const strings = loadStrings(lng);
    it(`issue 10 #10: every audit action and target type has ${lng} text`, () => {
      assert.deepEqual(
        actions.filter(
          (a) => typeof lookup(strings, ['words', 'auditActions', ...a.split('.')]) !== 'string',
        ),
        [],
      );
      assert.deepEqual(
        auditTargetTypes.filter(
          (type) => typeof lookup(strings, ['words', 'targetTypes', type]) !== 'string',
        ),
        [],
      );
    });

    it(`issue 10 #10: every core blocked capability has ${lng} text (R-IMP-04)`, () => {
      const path = ['settingsPage', 'impersonation', 'capabilities'];
      assert.deepEqual(
        coreCapabilities.filter(
          (c) => typeof lookup(strings, [...path, c.replaceAll('.', '_')]) !== 'string',
        ),
        [],
      );
    });
  }

  it('issue 10 #10: the pages show the words, not the codes', () => {
    const web = new URL('../web/src/admin/', import.meta.url).pathname;
    const read = (p: string) => readFileSync(join(web, p), 'utf8');
    assert.doesNotMatch(read('pages/audit/AuditRow.tsx'), /<Code>\{e\.action\}|\{e\.target\.type\}/);
    assert.doesNotMatch(read('user-page/InformationSection.tsx'), /<Code>\{e\.action\}/);
    assert.doesNotMatch(read('pages/BlockedCapabilities.tsx'), /<Code>\{c\.name\}/);
    assert.match(read('pages/OutboxPage.tsx'), /words\.hiddenMailText/);
  });
});
