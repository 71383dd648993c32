import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { startServer, type TestServer } from '../../test/harness.ts';
import {
  chainHash,
  chainHashV2,
  eventMac,
  genesisHash,
  signCheckpoint,
  type CheckpointRecord,
} from './chain.ts';
import { ChainVerifier, type VerifiableRow, type VerifyReport } from './verifier.ts';
import { keyIdOf } from './keys.ts';
import { testEventContent } from './test-events.ts';

describe('R-IMP-08: tamper-evident audit trail', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
    for (let i = 0; i < 3; i++) await s.createUser();
  });
  after(() => s.close());

  it('R-IMP-08: every event links to the one before it, and the chain verifies', async () => {
    const res = await s.admin.get('/api/v1/admin/audit-events/verify');
    assert.equal(res.status, 200);
    assert.equal(res.body.ok, true);
    assert.ok(res.body.checked >= 4, 'bootstrap, logins and creations are in the chain');
    assert.equal(res.body.firstBroken, null);
    assert.equal(res.body.macChecked, true);
  });

  it('R-IMP-08: concurrent audited writes still form one unbroken chain', async () => {
    await Promise.all(Array.from({ length: 12 }, () => s.createUser()));
    const res = await s.admin.get('/api/v1/admin/audit-events/verify');
    assert.equal(res.body.ok, true);
  });
});

// Pure: the verifier by tables (issue 7 #9). A chain of `legacy` version 1 events, then `keyed`
// version 2 events with MACs, then each case's tampering, then the verdict.

const macKey = randomBytes(32);
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const keyId = keyIdOf(publicKey);
const other = generateKeyPairSync('ed25519');

const content = (i: number) => testEventContent(`e${i}`, i);

function chain(legacy: number, keyed: number): VerifiableRow[] {
  const rows: VerifiableRow[] = [];
  let prev = genesisHash;
  for (let i = 1; i <= legacy + keyed; i++) {
    const c = content(i);
    const row: VerifiableRow =
      i <= legacy
        ? {
            ...c,
            seq: i,
            chain_version: 1,
            position: null,
            mac: null,
            prev_hash: prev,
            hash: chainHash(prev, c),
          }
        : (() => {
            const hash = chainHashV2(prev, { ...c, position: i });
            return {
              ...c,
              seq: i,
              chain_version: 2,
              position: i,
              mac: eventMac(macKey, hash),
              prev_hash: prev,
              hash,
            };
          })();
    rows.push(row);
    prev = row.hash;
  }
  return rows;
}

/** Recomputes every hash from `from` on, as a database writer without the MAC key can. */
function rehash(rows: VerifiableRow[], from: number): void {
  for (let i = from; i < rows.length; i++) {
    const r = rows[i]!;
    r.prev_hash = i === 0 ? genesisHash : rows[i - 1]!.hash;
    r.hash =
      r.chain_version === 1
        ? chainHash(r.prev_hash, r)
        : chainHashV2(r.prev_hash, { ...r, position: r.position! });
  }
}

const checkpointAt = (rows: VerifiableRow[], position: number, key = privateKey): CheckpointRecord =>
  signCheckpoint(
    { id: `c${position}`, position, head_hash: rows[position - 1]!.hash, created_at: 5_000, key_id: keyId },
    key,
  );

interface Case {
  name: string;
  legacy?: number;
  keyed?: number;
  offline?: boolean;
  tamper?: (rows: VerifiableRow[], checkpoints: CheckpointRecord[]) => void;
  checkpointsAt?: number[];
  expect: Partial<VerifyReport>;
}

const cases: Case[] = [
  { name: 'an intact keyed chain verifies', expect: { ok: true, checked: 6, unkeyed: 0, firstBroken: null } },
  {
    name: 'events from before keying verify by hash and link and are counted as unkeyed',
    legacy: 3,
    checkpointsAt: [3, 9],
    expect: { ok: true, checked: 9, unkeyed: 3, checkpoints: 2 },
  },
  {
    name: 'an edited event is a hash mismatch',
    tamper: (r) => void (r[2]!.target_label = 'someone else'),
    expect: {
      ok: false,
      checked: 2,
      firstBroken: { seq: 3, id: 'e3', position: 3, reason: 'hash_mismatch' },
    },
  },
  {
    name: 'an edit with every hash recomputed is a bad MAC',
    tamper: (r) => {
      r[2]!.target_label = 'someone else';
      rehash(r, 2);
    },
    expect: { ok: false, firstBroken: { seq: 3, id: 'e3', position: 3, reason: 'bad_mac' } },
  },
  {
    name: 'offline (no MAC key), a recomputed edit before a checkpoint is a head mismatch',
    offline: true,
    checkpointsAt: [6],
    tamper: (r) => {
      r[2]!.target_label = 'someone else';
      rehash(r, 2);
    },
    expect: {
      ok: false,
      firstBroken: null,
      badCheckpoint: { id: 'c6', position: 6, reason: 'head_mismatch' },
    },
  },
  {
    name: 'a deleted event is a gap at the next one',
    tamper: (r) => void r.splice(3, 1),
    expect: { ok: false, firstBroken: { seq: 5, id: 'e5', position: 5, reason: 'gap' } },
  },
  {
    name: 'two swapped events are reported where the order breaks',
    tamper: (r) => void r.splice(2, 2, r[3]!, r[2]!),
    expect: { ok: false, firstBroken: { seq: 4, id: 'e4', position: 4, reason: 'gap' } },
  },
  {
    name: 'a repeated event is out of order',
    tamper: (r) => void r.splice(3, 0, { ...r[2]! }),
    expect: { ok: false, firstBroken: { seq: 3, id: 'e3', position: 3, reason: 'out_of_order' } },
  },
  {
    name: 'an unkeyed event after keyed ones is refused (it would dodge the MAC)',
    legacy: 2,
    tamper: (r) => {
      const c = content(99);
      const prev = r.at(-1)!.hash;
      r.push({
        ...c,
        seq: 99,
        chain_version: 1,
        position: null,
        mac: null,
        prev_hash: prev,
        hash: chainHash(prev, c),
      });
    },
    expect: { ok: false, firstBroken: { seq: 99, id: 'e99', position: 9, reason: 'unkeyed_after_keyed' } },
  },
  {
    name: 'an unknown chain version is reported',
    tamper: (r) => void (r[5]!.chain_version = 3),
    expect: { ok: false, firstBroken: { seq: 6, id: 'e6', position: 6, reason: 'unknown_version' } },
  },
  {
    name: 'events cut off after the last checkpoint are truncation',
    checkpointsAt: [2, 6],
    tamper: (r) => void r.splice(4),
    expect: { ok: false, firstBroken: null, truncated: { checkpointPosition: 6, chainEnd: 4 } },
  },
  {
    name: 'a checkpoint signed with another key is a bad signature',
    checkpointsAt: [4],
    tamper: (r, c) => void c.push(checkpointAt(r, 5, other.privateKey)),
    expect: { ok: false, checkpoints: 1, badCheckpoint: { id: 'c5', position: 5, reason: 'bad_signature' } },
  },
  {
    name: 'a checkpoint whose position was changed is a bad signature',
    checkpointsAt: [4],
    tamper: (_r, c) => void (c[0]!.position = 5),
    expect: { ok: false, checkpoints: 0, badCheckpoint: { id: 'c4', position: 5, reason: 'bad_signature' } },
  },
  {
    name: 'a checkpoint naming another key is an unknown key',
    checkpointsAt: [4],
    tamper: (_r, c) => void (c[0]!.key_id = 'ffffffffffffffff'),
    expect: { ok: false, badCheckpoint: { id: 'c4', position: 4, reason: 'unknown_key' } },
  },
];

describe('issue 7 #9: the chain verifier (pure, by table)', () => {
  for (const c of cases) {
    it(`issue 7 #9: R-IMP-08: ${c.name}`, () => {
      const rows = chain(c.legacy ?? 0, c.keyed ?? 6);
      const checkpoints = (c.checkpointsAt ?? []).map((p) => checkpointAt(rows, p));
      c.tamper?.(rows, checkpoints);
      const verifier = new ChainVerifier(
        { macKey: c.offline ? null : macKey, publicKey, keyId },
        checkpoints,
      );
      verifier.add(rows);
      const report = verifier.finish();
      for (const [key, value] of Object.entries(c.expect)) {
        assert.deepEqual(report[key as keyof VerifyReport], value, `${key}: ${JSON.stringify(report)}`);
      }
    });
  }
});
