import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

/**
 * A real OpenID Provider (oidc-provider, MIT) in process on 127.0.0.1:<free port>. Its login page is a
 * plain form (email, and a "second factor" checkbox that puts otp in `amr`); consent is implied for the
 * registered clients. `tamperIdToken` lets a test make the provider hand out an ID token with chosen
 * claims, re-signed with the provider's own key — what a misbehaving or compromised IdP would do.
 */
/** redirect_uris: exact URIs; a URI ending in `*` allows any redirect URI that starts with what precedes it
 *  (Liaison's redirect URI contains the provider id, known only once a partner is created). */
export interface TestClient { client_id: string; client_secret: string; redirect_uris: string[] }
export interface TestAccount { email: string; name?: string; groups?: string[]; emailVerified?: boolean }

export interface OidcTestProvider {
  issuer: string;
  accounts: Map<string, TestAccount>;
  tamperIdToken: ((claims: JWTPayload) => JWTPayload) | null;
  /** Drives the authorization request like a browser (follows redirects, signs in) and returns the final redirect to the client. */
  authorize(authUrl: string, login: { email: string; mfa?: boolean }): Promise<string>;
  close(): Promise<void>;
}

const page = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title>
<style>body{font-family:system-ui,sans-serif;background:#f1f5f9;display:grid;place-items:center;min-height:100vh;margin:0}form{background:#fff;padding:2rem;border-radius:.75rem;box-shadow:0 1px 3px #0002;width:20rem}label{display:block;margin:.75rem 0 .25rem;font-size:.875rem}input[type=email]{width:100%;padding:.5rem;box-sizing:border-box}button{margin-top:1rem;width:100%;padding:.6rem;background:#0f766e;color:#fff;border:0;border-radius:.4rem;font-size:1rem}</style>
</head><body>${body}</body></html>`;

export async function startOidcProvider(clients: TestClient[], accounts: Record<string, TestAccount> = {}): Promise<OidcTestProvider> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const accountMap = new Map(Object.entries(accounts));

  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({ ...c, redirect_uris: c.redirect_uris.map((u) => u.replace(/\*$/, 'placeholder')), grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' })),
    jwks: { keys: [jwk as never] },
    pkce: { required: () => true },
    // The ID token carries the claims of the requested scopes, so the client needs no userinfo call.
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'], acr: null, amr: null } as never,
    features: { devInteractions: { enabled: false }, claimsParameter: { enabled: true } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-provider-cookie-key'] },
    ttl: { AuthorizationCode: 60, Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600 },
    renderError: (ctx, out) => { ctx.type = 'text/plain'; ctx.body = `error: ${out.error}: ${out.error_description ?? ''}`; },
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => {
        const a = accountMap.get(id) ?? { email: id };
        return { sub: id, email: a.email, email_verified: a.emailVerified ?? true, ...(a.name ? { name: a.name } : {}), ...(a.groups ? { groups: a.groups } : {}) };
      },
    }),
    // First-party test clients: consent is implied.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid email profile');
      grant.addOIDCClaims(['acr', 'amr']);
      await grant.save();
      return grant;
    },
  });

  const helper: OidcTestProvider = {
    issuer,
    accounts: accountMap,
    tamperIdToken: null,
    async authorize(authUrl, login) {
      const jar = new Map<string, string>();
      const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const keep = (res: Response) => {
        for (const c of res.headers.getSetCookie()) {
          const [pair] = c.split(';');
          const i = pair.indexOf('=');
          jar.set(pair.slice(0, i), pair.slice(i + 1));
        }
      };
      let url = authUrl;
      let init: RequestInit = {};
      for (let hop = 0; hop < 10; hop++) {
        if (!url.startsWith(issuer)) return url; // back at the client
        const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string> ?? {}), cookie: cookieHeader() } });
        keep(res);
        init = {};
        const loc = res.headers.get('location');
        if (loc) { url = new URL(loc, url).href; continue; }
        const m = /action="([^"]+)"/.exec(await res.text());
        if (!m) throw new Error(`test provider: unexpected page at ${url} (${res.status})`);
        url = new URL(m[1], url).href;
        init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: login.email, ...(login.mfa ? { mfa: 'on' } : {}) }).toString() };
      }
      throw new Error('test provider: too many redirects');
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };

  const prefixes = new Map(clients.map((c) => [c.client_id, c.redirect_uris.filter((u) => u.endsWith('*')).map((u) => u.slice(0, -1))]));
  const exact = provider.Client.prototype.redirectUriAllowed;
  provider.Client.prototype.redirectUriAllowed = function (this: { clientId: string }, uri: string) {
    return (prefixes.get(this.clientId) ?? []).some((p) => uri.startsWith(p)) || exact.call(this, uri);
  };

  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path === '/token' && helper.tamperIdToken && body?.id_token) {
      const claims = helper.tamperIdToken(decodeJwt(body.id_token));
      const idToken = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key', typ: 'JWT' }).sign(privateKey);
      ctx.body = { ...body, id_token: idToken };
    }
  });

  const callback = provider.callback();
  server.on('request', async (req, res) => {
    const m = /^\/interaction\/([^/?]+)(\/login)?/.exec(req.url ?? '');
    if (!m) return callback(req, res);
    try {
      if (!m[2]) {
        const details = await provider.interactionDetails(req, res);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(page(`<form method="post" action="/interaction/${details.uid}/login"><h1 style="font-size:1.25rem;margin:0">Test IdP sign-in</h1>
<label for="email">Email</label><input id="email" name="email" type="email" required autofocus>
<label><input type="checkbox" name="mfa"> Use a second factor</label><button type="submit">Sign in</button></form>`));
        return;
      }
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const email = form.get('email') ?? '';
      if (!accountMap.has(email)) accountMap.set(email, { email });
      const mfa = form.get('mfa') === 'on';
      await provider.interactionFinished(req, res, { login: { accountId: email, amr: mfa ? ['pwd', 'otp'] : ['pwd'], acr: mfa ? 'mfa' : 'pwd' } }, { mergeWithLastSubmission: false });
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String((e as Error).message));
    }
  });
  return helper;
}
