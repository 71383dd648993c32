// issue 10 #10: people see words, not codes. Every audit action the server writes, every audit
// target type and every core blocked capability has German and English text in the web app.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { coreCapabilities } from '../src/permissions/capabilities.ts';
import { auditActions } from '../src/audit/actions.ts';
import { auditTargetTypes } from '../src/audit/audit.ts';
import { loadStrings } from './web-strings.ts';

// The audit actions come from their one list (src/audit/actions.ts); src/audit/actions.test.ts
// scans the server's code and fails when an action written there is missing from it.

function lookup(tree: Record<string, unknown>, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], tree);
}

describe('words instead of codes (issue 10 #10)', () => {
  const actions: readonly string[] = auditActions;

  it('issue 10 #10: the list holds the audit actions (R-ADM-05: user.deactivated, impersonation.started)', () => {
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
