import crypto from 'node:crypto';
import { z } from 'zod';
import * as client from 'openid-client';
import { config } from '../config';
import { AppError } from '../errors';
import type { IdpKind, Prisma } from '../generated/prisma/client';
import { oidcStored, samlStored, type OidcStored, type SamlStored } from './providers';
import { parseIdpMetadata } from './saml-metadata';
import { openClientSecret, sealClientSecret } from './seal';

/** Accepted difference between our clock and the provider's, for iat/exp/nbf/auth_time. */
export const OIDC_CLOCK_TOLERANCE_SECONDS = 60;

export const httpAllowed = () => ['1', 'true'].includes(config().LIAISON_SSO_ALLOW_HTTP ?? '');

export const oidcInput = z.object({
  issuer: z.string().trim().min(1, 'enter the issuer URL').max(2048),
  clientId: z.string().trim().min(1, 'enter the client id').max(512),
  // Optional on an update that keeps the same client: the stored secret stays.
  clientSecret: z.string().max(2048).optional(),
  requireMfa: z.boolean().default(false),
  mfaAcrValues: z.array(z.string().trim().min(1).max(512)).max(20).optional(),
});
export const samlInput = z.object({ metadataXml: z.string().max(256 * 1024, 'at most 256 KB') });
export type OidcInput = z.infer<typeof oidcInput>;
export type SamlInput = z.infer<typeof samlInput>;

/** Provider ids are made before insert, because the sealed client secret is bound to its id. */
export const newProviderId = () => `idp${Date.now().toString(36)}${crypto.randomBytes(8).toString('hex')}`;

/** The issuer as compared with the discovery document: a URL, https unless the tests allow http. */
export function checkedIssuer(raw: string): string {
  let u: URL;
  try { u = new URL(raw); } catch { throw new AppError('validation_failed', 'oidc.issuer: not a URL.'); }
  if (u.protocol !== 'https:' && !(httpAllowed() && u.protocol === 'http:')) throw new AppError('validation_failed', 'oidc.issuer: must be https://.');
  if (u.username || u.password || u.search || u.hash) throw new AppError('validation_failed', 'oidc.issuer: no credentials, query or fragment.');
  return raw;
}

/** Discovery, with the issuer check openid-client does (the document's issuer must be the one configured). */
export async function discover(issuer: string, clientId: string, clientSecret: string): Promise<client.Configuration> {
  const metadata: Partial<client.ClientMetadata> = { client_secret: clientSecret, token_endpoint_auth_method: 'client_secret_basic', [client.clockTolerance]: OIDC_CLOCK_TOLERANCE_SECONDS };
  return client.discovery(new URL(issuer), clientId, metadata, client.ClientSecretBasic(clientSecret), {
    timeout: 10,
    ...(httpAllowed() ? { execute: [client.allowInsecureRequests] } : {}),
  });
}

/**
 * The stored config for a new or changed provider. OIDC: the issuer is discovered now, so a typo is
 * refused when it is saved rather than when a partner first signs in; the secret is sealed to the id.
 * SAML: the metadata is parsed and what is needed is kept beside the original XML.
 */
export async function buildIdpConfig(
  providerId: string,
  input: { oidc?: OidcInput | null; saml?: SamlInput | null },
  previous: { kind: IdpKind; config: unknown } | null,
): Promise<{ kind: IdpKind; config: Prisma.InputJsonValue; summary: Record<string, unknown> }> {
  if (input.oidc && input.saml) throw new AppError('validation_failed', 'Give either oidc or saml, not both.');
  if (input.oidc) {
    const o = input.oidc;
    const issuer = checkedIssuer(o.issuer);
    let secret = o.clientSecret?.length ? o.clientSecret : null;
    if (!secret && previous?.kind === 'OIDC') {
      const prev = oidcStored.parse(previous.config);
      if (prev.clientId === o.clientId) secret = openClientSecret(providerId, prev.clientSecretSealed);
    }
    if (!secret) throw new AppError('validation_failed', 'oidc.clientSecret: enter the client secret.');
    try {
      await discover(issuer, o.clientId, secret);
    } catch (e) {
      throw new AppError('validation_failed', `oidc.issuer: discovery at ${issuer.replace(/\/$/, '')}/.well-known/openid-configuration failed (${describeDiscoveryError(e)}).`);
    }
    const stored: OidcStored = { issuer, clientId: o.clientId, clientSecretSealed: sealClientSecret(providerId, secret), requireMfa: o.requireMfa, mfaAcrValues: o.mfaAcrValues ?? [] };
    return { kind: 'OIDC', config: stored, summary: { kind: 'OIDC', issuer, clientId: o.clientId, requireMfa: o.requireMfa } };
  }
  if (input.saml) {
    const meta = parseIdpMetadata(input.saml.metadataXml, httpAllowed());
    const prevMfa = previous?.kind === 'SAML' ? samlStored.parse(previous.config).requireMfa : false;
    const stored: SamlStored = { metadataXml: input.saml.metadataXml, ...meta, requireMfa: prevMfa };
    return { kind: 'SAML', config: stored, summary: { kind: 'SAML', entityId: meta.entityId, ssoUrl: meta.ssoUrl } };
  }
  throw new AppError('validation_failed', 'Give the identity provider: oidc {issuer, clientId, clientSecret} or saml {metadataXml}.');
}

function describeDiscoveryError(e: unknown): string {
  const err = e as { code?: string; message?: string; cause?: { code?: string } };
  if (err?.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' || /issuer/i.test(err?.message ?? '')) return 'the document names another issuer';
  if (err?.cause?.code === 'ECONNREFUSED') return 'connection refused';
  return (err?.code ?? 'unreachable').toLowerCase().replace(/^oauth_/, '').replace(/_/g, ' ');
}

/** What the console and GraphQL show of a provider (never the secret). */
export function idpView(row: { id: string; kind: IdpKind; name: string; enabled: boolean; config: unknown }, urls: { redirectUri: string; acsUrl: string; spMetadataUrl: string }) {
  if (row.kind === 'OIDC') {
    const c = oidcStored.parse(row.config);
    return { id: row.id, kind: row.kind, name: row.name, enabled: row.enabled, issuer: c.issuer, clientId: c.clientId, requireMfa: c.requireMfa, redirectUri: urls.redirectUri, entityId: null, ssoUrl: null, acsUrl: null, spMetadataUrl: null };
  }
  const c = samlStored.parse(row.config);
  return { id: row.id, kind: row.kind, name: row.name, enabled: row.enabled, issuer: null, clientId: null, requireMfa: c.requireMfa, redirectUri: null, entityId: c.entityId, ssoUrl: c.ssoUrl, acsUrl: urls.acsUrl, spMetadataUrl: urls.spMetadataUrl };
}
export type IdpView = ReturnType<typeof idpView>;
