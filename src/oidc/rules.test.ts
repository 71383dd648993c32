import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cappedTtl, impersonationClaims } from './provider.ts';
import { consentPage, escapeHtml } from './consent-page.ts';

// The pure rules of the OpenID Provider (issue 9), by tables.

describe('OpenID Provider rules', () => {
  it('R-IMP-14: a token lifetime is capped at what the impersonation has left, never below 1 s', () => {
    const table: [base: number, remaining: number | null, expected: number][] = [
      [3600, null, 3600], // not acting: the normal lifetime
      [3600, 300, 300],
      [3600, 7200, 3600],
      [3600, 0, 1],
      [3600, -5, 1],
      [1_209_600, 1799, 1799], // a refresh token too
    ];
    for (const [base, remaining, expected] of table) {
      assert.equal(cappedTtl(base, remaining), expected, `${base} s with ${remaining} s left`);
    }
  });

  it('R-IMP-14, R-APP-02: the impersonation claims, and none outside an impersonation', () => {
    const blocked = ['payments', 'e-signature'];
    assert.deepEqual(
      impersonationClaims({ userId: 'u', impersonation: null, remaining: null, blocked: [] }),
      {},
    );
    assert.deepEqual(
      impersonationClaims({
        userId: 'u',
        impersonation: {
          id: 'i',
          actorId: 'a',
          actorName: 'Max Admin',
          expiresAt: 1_800_000_000_999,
          mode: 'read-only',
        },
        remaining: 60,
        blocked,
      }),
      {
        act: { sub: 'a', name: 'Max Admin' },
        impersonation: { id: 'i', expires_at: 1_800_000_000, mode: 'read-only' },
        blocked_capabilities: blocked,
      },
    );
  });

  it('the consent page escapes what names and apps contain', () => {
    const table: [string, string][] = [
      ['<script>', '&#60;script&#62;'],
      ['"onload="x', '&#34;onload=&#34;x'],
      ["O'Brien & Co", 'O&#39;Brien &#38; Co'],
      ['plain', 'plain'],
    ];
    for (const [input, expected] of table) assert.equal(escapeHtml(input), expected);
    const page = consentPage({
      language: 'de',
      appName: '<b>Shop</b>',
      userName: 'Ada',
      actorName: 'Grace',
      scopes: ['openid', 'email', 'unknown'],
      action: '/oidc/interaction/x/consent',
    });
    assert.match(page, /lang="de"/);
    assert.ok(page.includes('&#60;b&#62;Shop'));
    assert.ok(page.includes('Grace handelt als diese Person.'));
    assert.ok(!page.includes('unknown'), 'only known scopes are described');
  });
});
