import { prisma } from '../db/client';
import { registerQueueHandler } from '../queue/registry';
import type { QueueHandler } from '../queue/types';
import { MAIL_KIND } from './enqueue';
import { openBody } from './seal';
import { senderFor } from './sender';
import { classifySmtpError, smtpTransport } from './transport';

interface Sent { mailId: string | null; messageId: string | null }

/**
 * Sends one queued mail over SMTP. The envelope and the To header carry only the validated ASCII
 * address; names and subject are passed to nodemailer as values, which encodes them (RFC 2047), so
 * nothing in them can add a header or a recipient.
 */
export const mailHandler: QueueHandler<Sent> = {
  kind: MAIL_KIND,
  async run(item) {
    const mail = await prisma().mailMessage.findUnique({ where: { jobId: item.id }, include: { org: { select: { name: true } } } });
    if (!mail) return { mailId: null, messageId: null }; // deleted with its organisation: nothing to send
    const body = mail.sealedBody ? openBody(mail.id, mail.sealedBody) : { text: mail.text, html: mail.html };
    const from = senderFor(mail.org.name);
    try {
      const info = await smtpTransport().sendMail({
        from: { name: from.name ?? '', address: from.address },
        to: mail.toName ? { name: mail.toName, address: mail.to } : mail.to,
        envelope: { from: from.address, to: [mail.to] },
        subject: mail.subject,
        text: body.text,
        html: body.html,
        messageId: `<${mail.id}@${from.address.split('@')[1]}>`,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All', 'X-Liaison-Template': mail.template },
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      return { mailId: mail.id, messageId: info.messageId ?? null };
    } catch (e) {
      throw classifySmtpError(e);
    }
  },
  async record(tx, item, outcome) {
    if (!outcome.ok || !outcome.result.mailId) return;
    // Sent: the real body (with its code or link) is no longer needed anywhere.
    await tx.mailMessage.update({ where: { id: outcome.result.mailId }, data: { sentAt: new Date(), messageId: outcome.result.messageId, sealedBody: null } });
  },
};

registerQueueHandler(mailHandler);
