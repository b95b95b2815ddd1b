import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleGuestSessions } from '../../lib/http/sessions-handler';
import { CLIENT_IP_HEADER } from '../../lib/http/client-ip';
import { createTerms } from '../../lib/terms/service';
import { sharedPdf } from '../helpers/guest';

/** The sessions endpoint as the server runs it: on the raw request, ahead of Next.js routing. */
let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = '198.51.100.77';
    if (!handleGuestSessions(req, res)) res.writeHead(404).end('not here');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const post = (body: string, type = 'application/json') => fetch(`${base}/api/portal/v1/sessions`, { method: 'POST', headers: { 'content-type': type }, body });

describe('POST /api/portal/v1/sessions ahead of Next', () => {
  it('opens a session, with the same answers and headers as the Next route', async () => {
    const s = await sharedPdf();
    const r = await post(JSON.stringify({ link: s.url }));
    expect(r.status).toBe(201);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    const json = await r.json() as Record<string, unknown>;
    expect(json).toMatchObject({ token_type: 'Bearer' });
    expect(String(json.access_token).split('.')).toHaveLength(3);
    // Only this path and method are taken.
    expect((await fetch(`${base}/api/portal/v1/sessions`)).status).toBe(404);
    expect((await fetch(`${base}/api/portal/v1/sessions/x`, { method: 'POST' })).status).toBe(404);
  });

  it('terms_required carries the terms; refusals keep their codes and statuses', async () => {
    const s = await sharedPdf();
    const terms = await createTerms(s.principal, { title: 'NDA', body: 'Keep it quiet.' });
    const withTerms = await (await import('../../lib/shares/service')).createShare(s.principal, { documentIds: [s.doc.id], termsVersionId: terms.id });
    const r = await post(JSON.stringify({ link: withTerms.url }));
    expect(r.status).toBe(403);
    expect(await r.json()).toMatchObject({ error: 'terms_required', terms: { id: terms.id, title: 'NDA', body: 'Keep it quiet.' } });
    expect((await post(JSON.stringify({ link: 'x'.repeat(43) }))).status).toBe(404);
  });

  it('bad bodies: 415, 413 (declared or sent), 400', async () => {
    expect((await post('{}', 'text/plain')).status).toBe(415);
    const big = JSON.stringify({ link: 'x', pad: 'y'.repeat(20_000) });
    const r413 = await post(big);
    expect(r413.status).toBe(413);
    expect((await r413.json() as { error: string }).error).toBe('payload_too_large');
    const bad = await post('{"link": ');
    expect(bad.status).toBe(400);
    expect((await bad.json() as { error: string }).error).toBe('bad_request');
    const invalid = await post(JSON.stringify({ link: 42 }));
    expect(invalid.status).toBe(400);
    expect((await invalid.json() as { error: string }).error).toBe('validation_failed');
  });
});
