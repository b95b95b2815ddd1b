import { eventLine, type FeedEvent } from './event-rows';

/*
 * RFC 5424 syslog messages for audit events, framed by octet counting (RFC 6587 §3.4.1) for TCP and
 * TLS (RFC 5425 uses the same framing). One message per event:
 *
 *   <PRI>1 TIMESTAMP HOSTNAME liaison - MSGID [liaison@32473 org=".." seq=".." id=".." outcome=".." hash=".."] BOM{event JSON}
 *
 * PRI: facility 13 ("log audit"); severity 6 (informational) for success, 5 (notice) for a failure,
 * 4 (warning) for a denial. MSGID: the event type. The structured data carries what a collector
 * indexes on (32473 is the enterprise number RFC 5612 reserves for documentation, the usual choice for
 * an unregistered SD-ID). MSG is the same JSON line the NDJSON export writes, so a collector can
 * recompute the event's hash from it.
 */

export const SYSLOG_FACILITY = 13;
export const SD_ID = 'liaison@32473';

const severity = (outcome: string) => (outcome === 'denied' ? 4 : outcome === 'failure' ? 5 : 6);

/** PRINTUSASCII (33–126) only, bounded: the header fields' grammar; empty becomes the nil value "-". */
function headerField(s: string, max: number): string {
  const clean = s.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return clean || '-';
}

/** RFC 5424 §6.3.3: in a PARAM-VALUE, '"', '\' and ']' are escaped with a backslash. */
const paramValue = (s: string) => s.replace(/[\\"\]]/g, (c) => `\\${c}`);

export function syslogMessage(e: FeedEvent, opts: { hostname: string; orgSlug: string }): string {
  const pri = SYSLOG_FACILITY * 8 + severity(e.outcome);
  const sd = `[${SD_ID} org="${paramValue(opts.orgSlug)}" seq="${e.seq}" id="${paramValue(e.id)}" outcome="${paramValue(e.outcome)}" hash="${e.hash}"]`;
  return `<${pri}>1 ${e.at} ${headerField(opts.hostname, 255)} liaison - ${headerField(e.type, 32)} ${sd} \uFEFF${eventLine(e)}`;
}

/** Octet-counting frame: the message's length in bytes, a space, the message. */
export function frame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}

/** Splits octet-counted frames off the front of `buf` (for tests and tools): the messages and what is left. */
export function unframe(buf: Buffer): { messages: string[]; rest: Buffer } {
  const messages: string[] = [];
  let at = 0;
  for (;;) {
    const sp = buf.indexOf(0x20, at);
    if (sp < 0) break;
    const len = Number(buf.subarray(at, sp).toString('ascii'));
    if (!Number.isInteger(len) || len <= 0) throw new Error(`bad syslog frame length at byte ${at}`);
    if (buf.length < sp + 1 + len) break;
    messages.push(buf.subarray(sp + 1, sp + 1 + len).toString('utf8'));
    at = sp + 1 + len;
  }
  return { messages, rest: buf.subarray(at) };
}
