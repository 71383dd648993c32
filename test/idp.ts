import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider, { interactionPolicy, type AdapterPayload } from 'oidc-provider';

// A real OpenID Provider for the tests of external login services (issue 8): oidc-provider (the
// same certified library Behalf runs as its own provider, src/oidc/provider.ts) on a loopback
// port, with one confidential client for Behalf and accounts the test chooses. Its sign-in
// "interaction" has no UI: whoever the test named with signInAs() is signed in at once, with the
// amr/acr the test gave. Two of them at once prove issuer separation (mix-up).

export interface IdpAccount {
  sub: string;
  email?: string;
  emailVerified?: boolean;
  name?: string;
}

export interface TestIdp {
  /** The issuer (http://127.0.0.1:port), what a login service is configured with. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  addAccount(account: IdpAccount): void;
  /** Who the next authorization signs in, and the authentication methods it reports. */
  signInAs(sub: string, options?: { amr?: string[]; acr?: string }): void;
  /** Stops answering (a provider that is down). */
  close(): Promise<void>;
}

/**
 * Starts a provider. `redirectPrefix` is the start of the redirect URIs the client may use
 * (Behalf's callback URLs, which carry the service's ID: `{PUBLIC_URL}/api/v1/auth/login-services/`).
 */
export async function startIdp(redirectPrefix: string, name = 'idp'): Promise<TestIdp> {
  const accounts = new Map<string, IdpAccount>();
  let next: { sub: string; amr?: string[] | undefined; acr?: string | undefined } | null = null;
  const clientId = `behalf-at-${name}`;
  const clientSecret = randomBytes(24).toString('base64url');
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const issuer = `http://127.0.0.1:${port}`;

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: `${name}-key`, alg: 'RS256', use: 'sig' };

  const policy = interactionPolicy.base();
  // Every authorization signs in afresh, so that a test's signInAs() always applies.
  policy
    .get('login')
    .checks.add(
      new interactionPolicy.Check(
        'always',
        'Each test chooses the account',
        (ctx) => !ctx.oidc.result?.login,
      ),
    );

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${redirectPrefix}callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    adapter: MemoryAdapter,
    ttl: {
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      AccessToken: 3600,
    },
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'email'],
    claims: { openid: ['sub', 'amr', 'acr'], profile: ['name'], email: ['email', 'email_verified'] },
    // The e-mail claims in the ID token itself, as many real providers put them.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { policy, url: (_ctx: unknown, i: { uid: string }) => `/interaction/${i.uid}` },
    findAccount: (_ctx: unknown, id: string) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          ...(account.email === undefined ? {} : { email: account.email }),
          ...(account.emailVerified === undefined ? {} : { email_verified: account.emailVerified }),
          ...(account.name === undefined ? {} : { name: account.name }),
        }),
      };
    },
  });
  // Behalf's callback URL carries the service's ID, unknown when the provider starts.
  const clientProto = (provider as unknown as { Client: { prototype: Record<string, unknown> } }).Client
    .prototype;
  clientProto.redirectUriAllowed = (uri: string) =>
    uri.startsWith(redirectPrefix) && uri.endsWith('/callback');

  const oidc = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      interact(provider, req, res, () => next).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
      return;
    }
    oidc(req, res);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    addAccount: (account) => accounts.set(account.sub, account),
    signInAs: (sub, options = {}) => {
      next = { sub, amr: options.amr, acr: options.acr };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The interaction without a UI: login as the chosen account, then consent to what was asked. */
async function interact(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  chosen: () => { sub: string; amr?: string[] | undefined; acr?: string | undefined } | null,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    const who = chosen();
    if (!who) {
      await provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: 'nobody chosen',
      });
      return;
    }
    await provider.interactionFinished(req, res, {
      login: {
        accountId: who.sub,
        ...(who.amr ? { amr: who.amr } : {}),
        ...(who.acr ? { acr: who.acr } : {}),
      },
    });
    return;
  }
  const session = (details as unknown as { session?: { accountId: string } }).session;
  const grant = new provider.Grant({
    accountId: session?.accountId ?? '',
    clientId: String(details.params.client_id),
  });
  grant.addOIDCScope(String(details.params.scope));
  await provider.interactionFinished(
    req,
    res,
    { consent: { grantId: await grant.save() } },
    { mergeWithLastSubmission: true },
  );
}

/** oidc-provider's storage, in memory (one provider per test, gone when it stops). */
class MemoryAdapter {
  private static readonly rows = new Map<string, AdapterPayload>();
  private readonly model: string;
  constructor(model: string) {
    this.model = model;
  }
  private key(id: string) {
    return `${this.model}:${id}`;
  }
  upsert(id: string, payload: AdapterPayload): Promise<void> {
    MemoryAdapter.rows.set(this.key(id), payload);
    return Promise.resolve();
  }
  find(id: string) {
    return Promise.resolve(MemoryAdapter.rows.get(this.key(id)));
  }
  findByUid(uid: string) {
    return Promise.resolve([...MemoryAdapter.rows.values()].find((p) => p.uid === uid));
  }
  findByUserCode(code: string) {
    return Promise.resolve([...MemoryAdapter.rows.values()].find((p) => p.userCode === code));
  }
  consume(id: string): Promise<void> {
    const row = MemoryAdapter.rows.get(this.key(id));
    if (row) row.consumed = Math.floor(Date.now() / 1000);
    return Promise.resolve();
  }
  destroy(id: string): Promise<void> {
    MemoryAdapter.rows.delete(this.key(id));
    return Promise.resolve();
  }
  revokeByGrantId(grantId: string): Promise<void> {
    for (const [k, v] of MemoryAdapter.rows) if (v.grantId === grantId) MemoryAdapter.rows.delete(k);
    return Promise.resolve();
  }
}
