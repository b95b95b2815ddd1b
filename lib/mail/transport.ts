import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { config } from '../config';
import { PermanentError } from '../queue/types';

/** Connection, greeting and idle-socket limits: a hung server costs at most about a minute per try. */
export const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000, dnsTimeout: 10_000 };

const g = globalThis as unknown as { __liaisonSmtp?: { url: string; transport: Transporter<SMTPTransport.SentMessageInfo> } };

/** One transport per SMTP_URL (credentials and TLS from the URL: smtps:// for TLS, smtp:// with STARTTLS when offered). */
export function smtpTransport(): Transporter<SMTPTransport.SentMessageInfo> {
  const url = config().SMTP_URL;
  if (!url) throw new Error('SMTP_URL is not set');
  if (g.__liaisonSmtp?.url === url) return g.__liaisonSmtp.transport;
  g.__liaisonSmtp?.transport.close();
  const transport = nodemailer.createTransport({ url, ...SMTP_TIMEOUTS } as SMTPTransport.Options);
  g.__liaisonSmtp = { url, transport };
  return transport;
}

/**
 * Tells retryable SMTP failures from final ones: a 5xx reply (unknown mailbox, message refused,
 * authentication rejected) will not change by trying again; connection problems, timeouts and 4xx
 * replies (greylisting, mailbox busy) may.
 */
export function classifySmtpError(e: unknown): Error {
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as { responseCode?: number }).responseCode;
  const response = (err as { response?: string }).response;
  // nodemailer's response already starts with the reply code ("550 5.1.1 User unknown").
  const text = response ? `SMTP ${response}` : err.message;
  if (typeof code === 'number' && code >= 500 && code < 600) return new PermanentError(text, { cause: err });
  return new Error(text, { cause: err });
}
