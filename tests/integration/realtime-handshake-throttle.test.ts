import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiToken, sharedPdf } from '../helpers/guest';
import { connectOutcome, realtimeServer } from '../helpers/realtime';

// Its own file (its own process): it spends the loopback address's handshake budget.
let srv: Awaited<ReturnType<typeof realtimeServer>>;
beforeAll(async () => { srv = await realtimeServer(); });
afterAll(async () => { await srv.close(); });

describe('handshake probing', () => {
  it('after 30 refused handshakes from one address, even a good token is rate_limited for a while', async () => {
    const s = await sharedPdf();
    const token = await apiToken(s.url);
    const [h, p, sig] = token.split('.');
    const forged = `${h}.${p}.${sig.slice(0, -6)}AAAAAA`;
    // Good handshakes do not count.
    for (let i = 0; i < 5; i++) expect(await connectOutcome(srv.url, { auth: { token } })).toBe('connected');
    for (let i = 0; i < 30; i++) expect(await connectOutcome(srv.url, { auth: { token: forged } })).toBe('invalid_token');
    expect(await connectOutcome(srv.url, { auth: { token: forged } })).toBe('rate_limited');
    expect(await connectOutcome(srv.url, { auth: { token } })).toBe('rate_limited');
  });
});
