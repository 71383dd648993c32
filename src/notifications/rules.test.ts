// The pure rules of notifications, by table: rendering (values never read as template syntax),
// variables in both languages, the read rule of an impersonated session (R-IMP-09), and who
// may manage templates.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderTemplate, unknownVariables, variablesFor, formatTime } from './render.ts';
import { canMarkRead, visibleReadState } from './read-rule.ts';
import {
  defaultTemplates,
  endReasons,
  endReasonWords,
  notificationTypes,
  templateLanguages,
} from './templates.ts';
import { can, type Actor } from '../permissions/can.ts';

describe('template rendering', () => {
  const cases: Array<[string, string, Record<string, string>, string]> = [
    [
      'replaces known variables',
      'Hi {subject}, {actor} here',
      { subject: 'Ann', actor: 'Bob' },
      'Hi Ann, Bob here',
    ],
    ['leaves unknown variables visible', 'Hi {subjekt}', { subject: 'Ann' }, 'Hi {subjekt}'],
    ['repeats', '{actor} and {actor}', { actor: 'Bob' }, 'Bob and Bob'],
    [
      'a value that looks like a variable stays literal',
      'Reason: {reason}',
      { reason: '{actor}', actor: 'X' },
      'Reason: {actor}',
    ],
    ['a value with $& and $1 is inserted as it is', 'R: {reason}', { reason: '$& $1 $$' }, 'R: $& $1 $$'],
    ['braces that name nothing stay', '{ } {1a} {}', {}, '{ } {1a} {}'],
    ['inherited names are not variables', '{constructor} {toString}', {}, '{constructor} {toString}'],
    ['multi-line bodies', 'a\n{actor}\nb', { actor: 'Bob' }, 'a\nBob\nb'],
  ];
  for (const [name, template, values, want] of cases) {
    it(name, () => assert.equal(renderTemplate(template, values), want));
  }

  it('finds unknown variables, once each', () => {
    assert.deepEqual(unknownVariables('{actor} {actr} {actr} {subject} {endReason} {x1}'), ['actr', 'x1']);
    assert.deepEqual(unknownVariables('no variables { here }'), []);
  });

  it('R-IMP-09: every default template of every type and language uses only known variables', () => {
    for (const type of notificationTypes) {
      for (const language of templateLanguages) {
        const t = defaultTemplates[type][language];
        assert.deepEqual(unknownVariables(t.subject + t.body), [], `${type} ${language}`);
        assert.ok(!/[\r\n]/.test(t.subject), 'subjects are one line');
      }
    }
    assert.match(
      defaultTemplates['impersonation.started'].de.body,
      /Audit-Trail mit Ihrem Namen/,
      "German, in the glossary's words",
    );
  });
});

describe('template variables', () => {
  const startedAt = Date.UTC(2026, 10, 23, 9, 5);
  const endedAt = Date.UTC(2026, 10, 23, 9, 35);

  it('R-IMP-11: times and end reasons in the reader language; reason and duration as given', () => {
    const facts = {
      subject: 'Ann A',
      actor: 'Bob B',
      reason: 'Support #12',
      plannedDuration: 30,
      startedAt,
      endedAt,
    };
    const en = variablesFor({ ...facts, endReason: 'expired' }, 'en');
    assert.deepEqual(en, {
      subject: 'Ann A',
      actor: 'Bob B',
      reason: 'Support #12',
      plannedDuration: '30',
      startedAt: '23 November 2026 at 09:05 UTC',
      endedAt: '23 November 2026 at 09:35 UTC',
      endReason: 'the maximum duration ran out',
    });
    const de = variablesFor({ ...facts, endReason: 'expired' }, 'de');
    assert.equal(de.startedAt, '23. November 2026 um 09:05 UTC');
    assert.equal(de.endReason, 'Ablauf der Höchstdauer');
  });

  it('accepts ISO strings for times, as the impersonation module passes them', () => {
    const v = variablesFor({ startedAt: new Date(startedAt).toISOString(), endedAt: '' }, 'en');
    assert.equal(v.startedAt, formatTime(startedAt, 'en'));
    assert.equal('endedAt' in v, false, 'an empty value is absent, so {endedAt} stays visible');
  });

  it('a missing reason is named as missing, in both languages', () => {
    assert.equal(variablesFor({ reason: null }, 'en').reason, '(none given)');
    assert.equal(variablesFor({ reason: '  ' }, 'de').reason, '(keiner angegeben)');
  });

  it('every end reason has words in both languages, distinct per language', () => {
    for (const language of templateLanguages) {
      const words = endReasons.map((r) => variablesFor({ endReason: r }, language).endReason);
      for (const [i, w] of words.entries())
        assert.ok(w && w !== endReasons[i], `${language} ${endReasons[i]}`);
      assert.equal(new Set(words).size, endReasons.length);
      assert.deepEqual(Object.keys(endReasonWords[language]).sort(), [...endReasons].sort());
    }
    assert.equal(variablesFor({ endReason: 'something_new' }, 'en').endReason, 'something_new');
  });
});

describe('R-IMP-09, issue 12 #6: the read rule of an impersonated session', () => {
  // [impersonating, type, readAt] -> [shown as read, may mark read]
  const table: Array<[boolean, string, number | null, boolean, boolean]> = [
    [false, 'impersonation.started', null, false, true],
    [false, 'impersonation.started', 1, true, true],
    [false, 'impersonation.ended', 1, true, true],
    [false, 'other.kind', 1, true, true],
    [true, 'impersonation.started', null, false, false],
    [true, 'impersonation.started', 1, false, false],
    [true, 'impersonation.ended', 1, false, false],
    // Issue 12 #6: acting marks nothing read; what the user read stays read.
    [true, 'other.kind', null, false, false],
    [true, 'other.kind', 1, true, false],
  ];
  for (const [impersonating, type, readAt, shown, may] of table) {
    it(`${impersonating ? 'impersonating' : 'own session'}, ${type}, ${readAt === null ? 'unread' : 'read'}`, () => {
      assert.equal(visibleReadState({ impersonating }, { type, readAt }), shown);
      assert.equal(canMarkRead({ impersonating }, { type }), may);
    });
  }
});

describe('R-IMP-09: who manages notification templates', () => {
  const actor = (role: Actor['role'], perms: Actor['systemPermissions'], impersonating = false): Actor => ({
    id: 'a',
    role,
    systemPermissions: perms,
    generalPermissions: [],
    impersonating,
  });
  const table: Array<[string, Actor, string]> = [
    ['superadmin', actor('superadmin', []), 'allowed'],
    ['system admin with notifications.manage', actor('user', ['notifications.manage']), 'allowed'],
    ['system admin without it', actor('user', ['settings.manage', 'users.read']), 'missing_permission'],
    ['power user', actor('power-user', []), 'missing_permission'],
    [
      'power user holding notifications.manage',
      actor('power-user', ['notifications.manage']),
      'missing_permission',
    ],
    ['plain user', actor('user', []), 'missing_permission'],
    ['issue 10 #4: acting as a power user', actor('power-user', [], true), 'missing_permission'],
    ['acting as a system admin with it', actor('user', ['notifications.manage'], true), 'allowed'],
  ];
  for (const [name, a, want] of table) {
    it(name, () => {
      const d = can(a, 'notifications.manage');
      assert.equal(d.allowed ? 'allowed' : d.reason, want);
    });
  }
});
