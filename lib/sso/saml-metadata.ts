import { DOMParser } from '@xmldom/xmldom';
import * as xpath from 'xpath';
import { AppError } from '../errors';

const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const MAX_METADATA_CHARS = 256 * 1024;

/** What Liaison keeps from a partner's IdP metadata. */
export interface IdpMetadata {
  entityId: string;
  /** SingleSignOnService, HTTP-Redirect binding. */
  ssoUrl: string;
  /** Signing certificates, base64 DER (PEM bodies without armour or line breaks). */
  certs: string[];
}

const bad = (why: string) => new AppError('validation_failed', `saml.metadataXml: ${why}`);

/**
 * Reads an IdP's SAML metadata (an EntityDescriptor with an IDPSSODescriptor). Refuses DOCTYPEs (no
 * entity expansion), anything without an HTTP-Redirect SSO endpoint or a signing certificate, and an
 * SSO URL that is not https (http only where the configuration allows it, for tests).
 */
export function parseIdpMetadata(xml: string, allowHttp: boolean): IdpMetadata {
  if (typeof xml !== 'string' || !xml.trim()) throw bad('paste or upload the identity provider\'s metadata XML.');
  if (xml.length > MAX_METADATA_CHARS) throw bad('the metadata is larger than 256 KB.');
  if (/<!DOCTYPE/i.test(xml)) throw bad('metadata with a DOCTYPE is refused.');
  const errors: string[] = [];
  const doc = new DOMParser({ errorHandler: { error: (m: string) => errors.push(m), fatalError: (m: string) => errors.push(m), warning: () => undefined } })
    .parseFromString(xml, 'text/xml');
  if (errors.length || !doc?.documentElement) throw bad('this is not well-formed XML.');
  const select = (expr: string, node: unknown = doc) => xpath.select(expr, node as Node) as Node[];
  const entity = select("//*[local-name()='EntityDescriptor'][*[local-name()='IDPSSODescriptor']]")[0] as Element | undefined;
  if (!entity) throw bad('no EntityDescriptor with an IDPSSODescriptor: is this the identity provider\'s metadata (not the service provider\'s)?');
  const entityId = entity.getAttribute('entityID')?.trim() ?? '';
  if (!entityId) throw bad('the EntityDescriptor has no entityID.');
  const idp = select("*[local-name()='IDPSSODescriptor']", entity)[0] as Element;
  const sso = select(`*[local-name()='SingleSignOnService'][@Binding='${REDIRECT_BINDING}']`, idp)[0] as Element | undefined;
  const ssoUrl = sso?.getAttribute('Location')?.trim() ?? '';
  if (!ssoUrl) throw bad('no SingleSignOnService with the HTTP-Redirect binding.');
  let url: URL;
  try { url = new URL(ssoUrl); } catch { throw bad('the SingleSignOnService location is not a URL.'); }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) throw bad('the SingleSignOnService location must be https://.');
  const keys = select("*[local-name()='KeyDescriptor'][not(@use) or @use='signing']//*[local-name()='X509Certificate']", idp);
  const certs = [...new Set(keys.map((k) => (k.textContent ?? '').replace(/\s+/g, '')).filter((c) => /^[A-Za-z0-9+/]+=*$/.test(c) && c.length > 100))];
  if (!certs.length) throw bad('no signing certificate (KeyDescriptor use="signing" with an X509Certificate).');
  return { entityId, ssoUrl: url.toString(), certs };
}
