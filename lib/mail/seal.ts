import crypto from 'node:crypto';
import { deriveKey } from '../crypto/master-key';

const VERSION = 1;
const aad = (mailId: string) => Buffer.from(`liaison-mail-body-v${VERSION}:${mailId}`);

export interface MailBody { text: string; html: string }

/**
 * The real body of a mail that carries a secret (a code, an invitation link), AES-256-GCM under the
 * 'mail-bodies' subkey and bound to the mail's id, so a database dump or a look at the console does
 * not reveal pending codes. It is erased once the mail is sent.
 */
export function sealBody(mailId: string, body: MailBody): Uint8Array<ArrayBuffer> {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', deriveKey('mail-bodies'), iv);
  c.setAAD(aad(mailId));
  const ct = Buffer.concat([c.update(JSON.stringify(body), 'utf8'), c.final()]);
  return new Uint8Array(Buffer.concat([Buffer.from([VERSION]), iv, c.getAuthTag(), ct]));
}

export function openBody(mailId: string, sealed: Uint8Array): MailBody {
  const buf = Buffer.from(sealed);
  if (buf.length < 30 || buf[0] !== VERSION) throw new Error(`mail ${mailId}: unknown body encryption format`);
  const d = crypto.createDecipheriv('aes-256-gcm', deriveKey('mail-bodies'), buf.subarray(1, 13));
  d.setAAD(aad(mailId));
  d.setAuthTag(buf.subarray(13, 29));
  return JSON.parse(Buffer.concat([d.update(buf.subarray(29)), d.final()]).toString('utf8')) as MailBody;
}
