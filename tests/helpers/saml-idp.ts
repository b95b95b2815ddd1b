import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { SignedXml } from 'xml-crypto';

/**
 * A SAML 2.0 identity provider in process on 127.0.0.1:<free port>, signing real responses with a test
 * RSA key (xml-crypto, RSA-SHA256, exclusive c14n). Its key and self-signed certificate are made with
 * openssl for each run: nothing secret is committed. Tests build responses directly with `response()`
 * (and its tampering options); a browser goes through GET /sso (a login form) and is posted back to the ACS.
 */
export interface ResponseOptions {
  inResponseTo: string;
  acs: string;
  audience: string;
  email: string;
  name?: string;
  groups?: string[];
  /** What to sign: the assertion (default), nothing, or the whole response only. */
  sign?: 'assertion' | 'none' | 'response';
  recipient?: string;
  destination?: string | null;
  issuer?: string;
  /** Validity window of the assertion (Conditions and SubjectConfirmationData), ms from now. */
  notBeforeMs?: number;
  notOnOrAfterMs?: number;
  authnContext?: string;
  /** Signature wrapping: an unsigned assertion for this address placed beside the signed one. */
  wrapWith?: string;
}

export interface SamlTestIdp {
  entityId: string;
  ssoUrl: string;
  metadataXml: string;
  /** The AuthnRequest a redirect to the IdP carries. */
  readRequest(location: string): { id: string; acs: string; issuer: string; relayState: string | null };
  response(o: ResponseOptions): string;
  close(): Promise<void>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const iso = (ms: number) => new Date(Date.now() + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const newId = () => `_${crypto.randomBytes(16).toString('hex')}`;

function testKeyPair(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'saml-idp-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem'), '-days', '2', '-subj', '/CN=Test SAML IdP'], { stdio: 'ignore' });
    return { key: fs.readFileSync(path.join(dir, 'k.pem'), 'utf8'), cert: fs.readFileSync(path.join(dir, 'c.pem'), 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function startSamlIdp(): Promise<SamlTestIdp> {
  const { key, cert } = testKeyPair();
  const certBody = cert.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const entityId = `${base}/metadata`;
  const ssoUrl = `${base}/sso`;

  const metadataXml = `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${certBody}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${ssoUrl}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;

  const sign = (xml: string, what: 'Assertion' | 'Response') => {
    const sig = new SignedXml({ privateKey: key, publicCert: cert, signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#' });
    const target = what === 'Assertion' ? "//*[local-name(.)='Assertion']" : "/*[local-name(.)='Response']";
    sig.addReference({ xpath: target, transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'], digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256' });
    sig.computeSignature(xml, { prefix: 'ds', location: { reference: `${target}/*[local-name(.)='Issuer']`, action: 'after' } });
    return sig.getSignedXml();
  };

  const assertion = (o: ResponseOptions, email: string, id = newId()) => {
    const attrs = [
      ['email', [email]], ...(o.name ? [['displayName', [o.name]]] : []), ...(o.groups?.length ? [['groups', o.groups]] : []),
    ] as Array<[string, string[]]>;
    return `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${iso(0)}">` +
      `<saml:Issuer>${esc(o.issuer ?? entityId)}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${esc(email)}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="${esc(o.inResponseTo)}" NotOnOrAfter="${iso(o.notOnOrAfterMs ?? 300_000)}" Recipient="${esc(o.recipient ?? o.acs)}"/></saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${iso(o.notBeforeMs ?? -5_000)}" NotOnOrAfter="${iso(o.notOnOrAfterMs ?? 300_000)}"><saml:AudienceRestriction><saml:Audience>${esc(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${iso(-1000)}" SessionIndex="${newId()}"><saml:AuthnContext><saml:AuthnContextClassRef>${esc(o.authnContext ?? 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport')}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
      `<saml:AttributeStatement>${attrs.map(([n, vs]) => `<saml:Attribute Name="${n}">${vs.map((v) => `<saml:AttributeValue>${esc(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`).join('')}</saml:AttributeStatement>` +
      `</saml:Assertion>`;
  };

  const response = (o: ResponseOptions): string => {
    const mode = o.sign ?? 'assertion';
    let a = assertion(o, o.email);
    if (mode === 'assertion') a = sign(a, 'Assertion');
    const destination = o.destination === null ? '' : ` Destination="${esc(o.destination ?? o.acs)}"`;
    const evil = o.wrapWith ? assertion(o, o.wrapWith) : '';
    let xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${newId()}" Version="2.0" IssueInstant="${iso(0)}"${destination} InResponseTo="${esc(o.inResponseTo)}">` +
      `<saml:Issuer>${esc(o.issuer ?? entityId)}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${evil}${a}</samlp:Response>`;
    if (mode === 'response') xml = sign(xml, 'Response');
    return Buffer.from(xml, 'utf8').toString('base64');
  };

  const readRequest = (location: string) => {
    const u = new URL(location);
    const xml = zlib.inflateRawSync(Buffer.from(u.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
    const attr = (n: string) => new RegExp(`${n}="([^"]+)"`).exec(xml)?.[1] ?? '';
    return { id: attr('ID'), acs: attr('AssertionConsumerServiceURL'), issuer: /<saml:Issuer[^>]*>([^<]+)</.exec(xml)?.[1] ?? '', relayState: u.searchParams.get('RelayState') };
  };

  // The browser path: a login form, then an auto-submitted POST of the signed response to the ACS.
  server.on('request', async (req, res) => {
    const u = new URL(req.url ?? '/', base);
    if (u.pathname === '/metadata') { res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }); res.end(metadataXml); return; }
    if (u.pathname === '/sso' && req.method === 'GET') {
      const r = readRequest(u.href);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test SAML IdP</title></head><body style="font-family:system-ui;display:grid;place-items:center;min-height:100vh;background:#f8fafc">
<form method="post" action="/sso/login" style="background:#fff;padding:2rem;border-radius:12px;box-shadow:0 1px 3px #0002;width:20rem"><h1 style="font-size:1.2rem">Test SAML IdP</h1>
<input type="hidden" name="id" value="${esc(r.id)}"><input type="hidden" name="acs" value="${esc(r.acs)}"><input type="hidden" name="sp" value="${esc(r.issuer)}"><input type="hidden" name="relay" value="${esc(r.relayState ?? '')}">
<label for="email">Email</label><br><input id="email" name="email" type="email" required style="width:100%;padding:.5rem;box-sizing:border-box"><br><button type="submit" style="margin-top:1rem;width:100%;padding:.6rem">Sign in</button></form></body></html>`);
      return;
    }
    if (u.pathname === '/sso/login' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const f = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const acs = f.get('acs') ?? '';
      const saml = response({ inResponseTo: f.get('id') ?? '', acs, audience: f.get('sp') ?? '', email: f.get('email') ?? '', name: 'Federated User' });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><body><form id="f" method="post" action="${esc(acs)}"><input type="hidden" name="SAMLResponse" value="${saml}"><input type="hidden" name="RelayState" value="${esc(f.get('relay') ?? '')}"><noscript><button>Continue</button></noscript></form><script>document.getElementById('f').submit()</script></body></html>`);
      return;
    }
    res.writeHead(404).end();
  });

  return { entityId, ssoUrl, metadataXml, readRequest, response, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}
