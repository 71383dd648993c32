import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import type { Db } from '../db/database.ts';
import {
  consumePayload,
  deleteByGrant,
  deletePayload,
  findPayload,
  upsertPayload,
  type PayloadRow,
} from './oidc.store.ts';
import { setGrantSid } from './logout.store.ts';

// oidc-provider's storage on Behalf's database (both engines). Expiry is measured with the
// real time, not the injected clock: oidc-provider itself stamps and checks `iat`/`exp` with
// Date.now(), and the rows must expire when the provider thinks they do.
//
// Clients (the `Client` model) are not stored here: they come from the apps table through
// `findClient` (src/oidc/apps.service.ts), so an app changed in the API is seen at once.

export type ClientLookup = (clientId: string) => Promise<AdapterPayload | undefined>;

function decode(row: PayloadRow | undefined, now: number): AdapterPayload | undefined {
  if (!row) return undefined;
  if (row.expires_at !== null && row.expires_at <= now) return undefined;
  const payload = JSON.parse(row.payload) as AdapterPayload;
  // oidc-provider refuses a consumed code or refresh token by this field.
  if (row.consumed_at !== null) payload.consumed = Math.floor(row.consumed_at / 1000);
  return payload;
}

/** The adapter class oidc-provider instantiates once per model name. */
export function kyselyAdapter(db: Db, findClient: ClientLookup): new (name: string) => Adapter {
  return class KyselyAdapter implements Adapter {
    readonly name: string;
    constructor(name: string) {
      this.name = name;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      await upsertPayload(db, {
        model: this.name,
        id,
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        uid: payload.uid ?? null,
        user_code: payload.userCode ?? null,
        expires_at: expiresIn ? Date.now() + expiresIn * 1000 : null,
      });
      // The provider session id of an app with back-channel logout comes with the grant's
      // code; kept with the grant, it is what the logout token names (logout.store.ts).
      if (this.name === 'AuthorizationCode' && typeof payload.sid === 'string' && payload.grantId)
        await setGrantSid(db, payload.grantId, payload.sid);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.name === 'Client') return findClient(id);
      return decode(await findPayload(db, this.name, { id }), Date.now());
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return decode(await findPayload(db, this.name, { uid }), Date.now());
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return decode(await findPayload(db, this.name, { user_code: userCode }), Date.now());
    }

    async consume(id: string): Promise<void> {
      // oidc-provider checks `consumed` on the row it read, then consumes: parallel requests
      // with one code (or refresh token) could all pass that check. Only the request whose
      // update changed the row goes on; the others are reuse, treated as oidc-provider treats
      // a detected reuse: the grant and every token from it are revoked (RFC 6749 4.1.2).
      if (await consumePayload(db, this.name, id, Date.now())) return;
      const row = await findPayload(db, this.name, { id });
      const grantId = row ? (JSON.parse(row.payload) as AdapterPayload).grantId : undefined;
      if (grantId) {
        await deleteByGrant(db, grantId);
        await deletePayload(db, 'Grant', grantId);
      }
      throw new errors.InvalidGrant('grant request is invalid (already used)');
    }

    async destroy(id: string): Promise<void> {
      await deletePayload(db, this.name, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await deleteByGrant(db, grantId);
    }
  };
}
