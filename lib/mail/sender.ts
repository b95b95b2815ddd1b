import { config } from '../config';
import { headerText, parseMailbox, type Mailbox } from './address';

/** The installation's sender: LIAISON_MAIL_FROM, or no-reply at the public host. */
export function installationSender(): Mailbox {
  const cfg = config();
  if (cfg.LIAISON_MAIL_FROM) return parseMailbox(cfg.LIAISON_MAIL_FROM);
  return { name: 'Liaison', address: `no-reply@${new URL(cfg.publicUrl).hostname}` };
}

/** Mail goes out in the organisation's name, through the installation's address: "Acme Legal via Liaison". */
export function senderFor(orgName: string): Mailbox {
  const base = installationSender();
  return { name: headerText(`${orgName} via ${base.name ?? 'Liaison'}`, 120), address: base.address };
}

export const formatMailbox = (m: Mailbox) => (m.name ? `${m.name} <${m.address}>` : m.address);

/** Where mail goes: SMTP when SMTP_URL is set, else the development outbox (nothing is delivered). */
export const mailMode = (): 'smtp' | 'outbox' => (config().SMTP_URL ? 'smtp' : 'outbox');

/** SMTP_URL without its credentials, for the console. */
export function smtpServerLabel(): string | null {
  const url = config().SMTP_URL;
  if (!url) return null;
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}`;
}
