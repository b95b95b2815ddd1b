import { createDocument } from '../../lib/documents/service';
import { createShare } from '../../lib/shares/service';
import type { CreateShareInput } from '../../lib/shares/input';
import { CLIENT_IP_HEADER } from '../../lib/http/client-ip';
import { HOST_HEADER } from '../../lib/http/request-host';
import { createOrg, createStaff, fileFrom, tinyPdf } from './factory';
import { POST as openSessionRoute } from '../../app/api/portal/v1/sessions/route';
import { GET as listRoute } from '../../app/api/portal/v1/documents/route';
import { GET as contentRoute } from '../../app/api/portal/v1/documents/[id]/content/route';
import { GET as downloadRoute } from '../../app/s/[token]/d/[docId]/download/route';
import { POST as browserSessionRoute } from '../../app/s/[token]/session/route';
import { POST as browserTermsRoute } from '../../app/s/[token]/terms/route';
import { GET as browserPageRoute } from '../../app/s/[token]/d/[docId]/pages/[page]/route';
import { GET as apiPageRoute } from '../../app/api/portal/v1/documents/[id]/pages/[page]/route';
import { GET as apiDocumentRoute } from '../../app/api/portal/v1/documents/[id]/route';

export const DESKTOP_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';
export const BASE = 'http://liaison.test';

export async function sharedPdf(shareInput: Partial<CreateShareInput> = {}, pdfText = 'Confidential briefing') {
  const org = await createOrg();
  const { principal } = await createStaff(org.id, 'MEMBER');
  const doc = await createDocument(principal, fileFrom(tinyPdf(pdfText), 'briefing.pdf', 'application/pdf'), { title: 'Briefing', tlp: 'AMBER' }, 1e7);
  const created = await createShare(principal, { documentIds: [doc.id], ...shareInput } as CreateShareInput);
  return { org, principal, doc, ...created };
}

// Every request names its host as server.ts would (guest sessions are bound to the host they were opened on).
const headers = (ip: string, extra: Record<string, string> = {}) => ({ [CLIENT_IP_HEADER]: ip, [HOST_HEADER]: 'localhost', 'user-agent': DESKTOP_UA, ...extra });

export async function apiOpen(body: Record<string, unknown>, ip = '198.51.100.10', extraHeaders: Record<string, string> = {}) {
  const res = await openSessionRoute(new Request(`${BASE}/api/portal/v1/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers(ip, extraHeaders) }, body: JSON.stringify(body),
  }));
  return { res, json: await res.clone().json() as Record<string, unknown> };
}

export async function apiToken(link: string, extra: Record<string, unknown> = {}, ip?: string) {
  const { res, json } = await apiOpen({ link, ...extra }, ip);
  if (res.status !== 201) throw new Error(`session refused: ${res.status} ${JSON.stringify(json)}`);
  return json.access_token as string;
}

const ctx = <P>(p: P) => ({ params: Promise.resolve(p) });

export const apiList = (token: string | null, ip = '198.51.100.10', url = `${BASE}/api/portal/v1/documents`, extra: Record<string, string> = {}) =>
  listRoute(new Request(url, { headers: { ...headers(ip, extra), ...(token ? { authorization: `Bearer ${token}` } : {}) } }), ctx({}));

export const apiContent = (token: string | null, docId: string, ip = '198.51.100.10', extra: Record<string, string> = {}) =>
  contentRoute(new Request(`${BASE}/api/portal/v1/documents/${docId}/content`, { headers: { ...headers(ip, extra), ...(token ? { authorization: `Bearer ${token}` } : {}) } }), ctx({ id: docId }));

export const browserFile = (kind: 'download', linkToken: string, docId: string, cookie: string | null, ip = '198.51.100.10') =>
  downloadRoute(
    new Request(`${BASE}/s/${linkToken}/d/${docId}/${kind}`, { headers: { ...headers(ip), ...(cookie ? { cookie: `liaison_guest=${cookie}` } : {}) } }),
    ctx({ token: linkToken, docId }));

/** Submits the browser gate form; returns the redirect and the session cookie value, if one was set. */
export async function browserOpen(linkToken: string, form: Record<string, string>, ip = '198.51.100.10') {
  const res = await browserSessionRoute(new Request(`${BASE}/s/${linkToken}/session`, {
    method: 'POST', headers: headers(ip), body: new URLSearchParams(form),
  }), ctx({ token: linkToken }));
  const cookie = /liaison_guest=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1] || null;
  return { res, location: res.headers.get('location'), cookie, setCookie: res.headers.get('set-cookie') };
}

/** A page image through the browser route (session cookie of the link). */
export const browserPage = (linkToken: string, docId: string, page: string | number, cookie: string | null, opts: { ip?: string; width?: number } = {}) =>
  browserPageRoute(
    new Request(`${BASE}/s/${linkToken}/d/${docId}/pages/${page}${opts.width ? `?w=${opts.width}` : ''}`, { headers: { ...headers(opts.ip ?? '198.51.100.10'), ...(cookie ? { cookie: `liaison_guest=${cookie}` } : {}) } }),
    ctx({ token: linkToken, docId, page: String(page) }));

/** A page image through the guest API (Bearer token). */
export const apiPage = (token: string | null, docId: string, page: string | number, opts: { ip?: string; width?: number } = {}) =>
  apiPageRoute(
    new Request(`${BASE}/api/portal/v1/documents/${docId}/pages/${page}${opts.width ? `?w=${opts.width}` : ''}`, { headers: { ...headers(opts.ip ?? '198.51.100.10'), ...(token ? { authorization: `Bearer ${token}` } : {}) } }),
    ctx({ id: docId, page: String(page) }));

export const apiDocument = (token: string | null, docId: string, ip = '198.51.100.10') =>
  apiDocumentRoute(new Request(`${BASE}/api/portal/v1/documents/${docId}`, { headers: { ...headers(ip), ...(token ? { authorization: `Bearer ${token}` } : {}) } }), ctx({ id: docId }));

/** The second gate step: accept the terms on a session that passed the password. */
export async function browserAcceptTerms(linkToken: string, cookie: string | null, form: Record<string, string>, ip = '198.51.100.10') {
  const res = await browserTermsRoute(new Request(`${BASE}/s/${linkToken}/terms`, {
    method: 'POST', headers: { ...headers(ip), ...(cookie ? { cookie: `liaison_guest=${cookie}` } : {}) }, body: new URLSearchParams(form),
  }), ctx({ token: linkToken }));
  return { res, location: res.headers.get('location') };
}
