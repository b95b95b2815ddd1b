import { describe, expect, it } from 'vitest';
import type { FeedEvent } from '../../lib/feed/event-rows';
import { frame, syslogMessage, unframe } from '../../lib/feed/syslog-format';

const event: FeedEvent = {
  seq: 3, id: 'ev0abc', orgId: 'cmorg', at: '2026-12-01T09:15:26.042Z', type: 'guest.download', actorType: 'guest', actorId: 'cmguest',
  actor: 'ü@example.test', ip: '192.0.2.1', userAgent: null, shareId: 'cmshare', documentId: null, outcome: 'failure', reason: 'x',
  details: { a: 1 }, prevHash: '0'.repeat(64), hash: 'f'.repeat(64),
};

describe('RFC 5424 messages', () => {
  it('writes the header, escaped structured data and the JSON event', () => {
    const m = syslogMessage({ ...event, type: 'a type with spaces and a very long name that goes on' }, { hostname: 'host name', orgSlug: 'we"ird]\\slug' });
    expect(m).toBe('<109>1 2026-12-01T09:15:26.042Z host_name liaison - a_type_with_spaces_and_a_very_lo '
      + `[liaison@32473 org="we\\"ird\\]\\\\slug" seq="3" id="ev0abc" outcome="failure" hash="${'f'.repeat(64)}"] \uFEFF${JSON.stringify({ ...event, type: 'a type with spaces and a very long name that goes on' })}`);
  });

  it('frames by octet count in bytes, not characters, and unframes across chunk boundaries', () => {
    const a = syslogMessage(event, { hostname: 'h', orgSlug: 'o' });
    const b = syslogMessage({ ...event, seq: 4, actor: '𝄞 ü' }, { hostname: 'h', orgSlug: 'o' });
    const wire = Buffer.concat([frame(a), frame(b)]);
    expect(wire.subarray(0, wire.indexOf(0x20)).toString()).toBe(String(Buffer.byteLength(a)));
    for (let cut = 1; cut < wire.length; cut += 17) {
      const first = unframe(wire.subarray(0, cut));
      const second = unframe(Buffer.concat([first.rest, wire.subarray(cut)]));
      expect([...first.messages, ...second.messages]).toEqual([a, b]);
    }
  });
});
