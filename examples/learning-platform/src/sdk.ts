// TEMPORARY: the smallest part of @behalf/sdk's fixed API (packages/sdk, written in parallel on
// branch h-sdk) that this app needs, until that package is merged. Then this file becomes a
// re-export of ../../../packages/sdk/src/index.ts and nothing else changes in the app.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

export interface Principal {
  user: { id: string; name?: string; email?: string };
  actor: { id: string; name?: string } | null;
  impersonation: { id: string; expiresAt: Date } | null;
  blocked: string[];
  claims: JWTPayload;
}

type Req = IncomingMessage & { behalf?: Principal; body?: unknown };

export function isBlocked(principal: Principal, capability: string): boolean {
  return principal.blocked.includes(capability);
}

export function requireCapability(capability: string) {
  return (req: Req, res: ServerResponse, next: () => void): void => {
    if (req.behalf && !isBlocked(req.behalf, capability)) return next();
    res.writeHead(403, { 'content-type': 'application/problem+json' });
    res.end(
      JSON.stringify({
        type: 'about:blank',
        title: 'Blocked during impersonation',
        status: 403,
        code: 'blocked_during_impersonation',
        detail: `'${capability}' is not possible while acting as another user.`,
        capability,
      }),
    );
  };
}

export function createBehalf(options: { issuer: string; audience?: string }) {
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  const keys = async () => {
    if (jwks) return jwks;
    const res = await fetch(`${options.issuer}/.well-known/openid-configuration`);
    const meta = (await res.json()) as { jwks_uri: string };
    return (jwks = createRemoteJWKSet(new URL(meta.jwks_uri)));
  };
  const verify = async (token: string) =>
    (
      await jwtVerify(token, await keys(), {
        issuer: options.issuer,
        ...(options.audience ? { audience: options.audience } : {}),
      })
    ).payload;

  function principalFromClaims(claims: JWTPayload): Principal {
    const act = claims.act as { sub: string; name?: string } | undefined;
    const imp = claims.impersonation as { id: string; expires_at: number } | undefined;
    return {
      user: { id: claims.sub!, name: claims.name as string, email: claims.email as string },
      actor: act ? { id: act.sub, ...(act.name ? { name: act.name } : {}) } : null,
      impersonation: imp ? { id: imp.id, expiresAt: new Date(imp.expires_at * 1000) } : null,
      blocked: act ? ((claims.blocked_capabilities as string[] | undefined) ?? []) : [],
      claims,
    };
  }

  const seen = new Set<string>();
  return {
    principalFromClaims,
    async verifyIdToken(token: string, nonce?: string): Promise<Principal> {
      const claims = await verify(token);
      if (nonce !== undefined && claims.nonce !== nonce) throw new Error('nonce mismatch');
      return principalFromClaims(claims);
    },
    backchannelLogoutHandler(
      onLogout: (e: { sub?: string; sid?: string; jti: string }) => void | Promise<void>,
    ): (req: IncomingMessage, res: ServerResponse) => void {
      return (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          void (async () => {
            try {
              const token = new URLSearchParams(Buffer.concat(chunks).toString()).get('logout_token') ?? '';
              const c = await verify(token);
              const events = c.events as Record<string, unknown> | undefined;
              if (!events?.['http://schemas.openid.net/event/backchannel-logout'] || 'nonce' in c || !c.jti)
                throw new Error('not a logout token');
              if (seen.has(c.jti)) throw new Error('replayed');
              seen.add(c.jti);
              await onLogout({ sub: c.sub, sid: c.sid as string | undefined, jti: c.jti });
              res.writeHead(200, { 'cache-control': 'no-store' }).end();
            } catch {
              res.writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store' });
              res.end(JSON.stringify({ error: 'invalid_request' }));
            }
          })();
        });
      };
    },
  };
}
