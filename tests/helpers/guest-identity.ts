import { prisma } from '../../lib/db/client';
import { mailHandler } from '../../lib/mail/deliver';
import { QueueWorker } from '../../lib/queue/worker';
import type { QueueHandler } from '../../lib/queue/types';
import { CLIENT_IP_HEADER } from '../../lib/http/client-ip';
import { POST as codesRoute } from '../../app/api/portal/v1/codes/route';
import { codeWorkSettled } from '../../lib/guest/email-codes';
import { POST as acceptRoute } from '../../app/i/[secret]/accept/route';
import { BASE, DESKTOP_UA } from './guest';
import type { startSmtp } from './smtp';

type Smtp = Awaited<ReturnType<typeof startSmtp>>;

/**
 * Sends what the organisation's queue holds through the real SMTP server. A delivery that failed once
 * (a busy database or SMTP server on a loaded machine) is retried after its short backoff, so this waits,
 * up to 15 s, until no mail is left pending rather than returning with a mail still queued.
 */
export async function deliverMail(orgId: string): Promise<number> {
  const worker = new QueueWorker({ handlers: new Map<string, QueueHandler>([['mail', mailHandler as QueueHandler]]), orgIds: [orgId], backoff: { baseMs: 40, capMs: 160 } });
  const deadline = Date.now() + 15_000;
  let total = await worker.drain();
  while (Date.now() < deadline && await prisma().queueItem.count({ where: { orgId, kind: 'mail', status: { in: ['PENDING', 'RUNNING'] } } })) {
    await new Promise((r) => setTimeout(r, 50));
    total += await worker.drain();
  }
  return total;
}

export async function requestCode(link: string, email: string, ip = '198.51.100.20') {
  const res = await codesRoute(new Request(`${BASE}/api/portal/v1/codes`, {
    method: 'POST', headers: { 'content-type': 'application/json', [CLIENT_IP_HEADER]: ip, 'user-agent': DESKTOP_UA }, body: JSON.stringify({ link, email }),
  }));
  return { res, json: await res.clone().json() as Record<string, unknown> };
}

/** Waits for the code requests' work after their answer (PBKDF2, the mail), then delivers the org's mail. */
export async function settleCodes(orgId: string): Promise<void> {
  await codeWorkSettled();
  await deliverMail(orgId);
}

/** The code in a mail's text: its only run of 6 to 8 digits (docs/API.md). */
export function codeIn(text: string | undefined | false): string {
  const runs = (text || '').match(/(?<!\d)\d{6,8}(?!\d)/g) ?? [];
  if (runs.length !== 1) throw new Error(`expected one code in the mail, found ${runs.length}: ${text}`);
  return runs[0];
}

export function mailsTo(smtp: Smtp, address: string) {
  return smtp.received.filter((m) => m.envelope.to.includes(address));
}

/** The invitation secret in a mail's text. */
export function invitationSecretIn(text: string | undefined | false): string {
  const m = /\/i\/([A-Za-z0-9_-]{43})/.exec(text || '');
  if (!m) throw new Error(`no invitation link in: ${text}`);
  return m[1];
}

export async function acceptInvitationForm(secret: string, form: Record<string, string>, ip = '198.51.100.30') {
  const res = await acceptRoute(new Request(`${BASE}/i/${secret}/accept`, {
    method: 'POST', headers: { [CLIENT_IP_HEADER]: ip, 'user-agent': DESKTOP_UA }, body: new URLSearchParams(form),
  }), { params: Promise.resolve({ secret }) });
  const cookie = /liaison_guest=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1] || null;
  return { res, location: res.headers.get('location'), cookie };
}

/** A partner organisation with an enabled OIDC provider (configuration is lib/sso's business; the policy only needs it to exist). */
export async function partnerWithIdp(orgId: string, domains: string[]) {
  const partner = await prisma().partnerOrg.create({ data: { orgId, name: 'Partner Agency', domains } });
  const idp = await prisma().identityProvider.create({ data: { partnerOrgId: partner.id, kind: 'OIDC', name: 'Agency SSO', config: { issuer: 'https://idp.agency.example' } } });
  return { partner, idp };
}
