import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../errors';
import { sessionsEndpoint } from '../guest/sessions-endpoint';
import { CLIENT_IP_HEADER } from './client-ip';
import { HOST_HEADER, REQUEST_URL_HEADER } from './request-host';
import { sendError } from './error-response';
import { STATIC_SECURITY_HEADERS } from './static-headers';

const MAX_BODY = 16 * 1024;


/**
 * POST /api/portal/v1/sessions on the raw Node request, ahead of Next.js routing (like uploads). Opening
 * a guest session is the door every guess knocks on: a flood of wrong codes or passwords is refused by
 * its limits within microseconds, and Next's request parsing, routing and tracing would otherwise be most
 * of what each refused guess costs (docs/BENCHMARKS.md, "Guest API"). Returns false for other requests.
 */
export function handleGuestSessions(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/api/portal/v1/sessions') return false;
  const ip = req.headers[CLIENT_IP_HEADER];
  const host = req.headers[HOST_HEADER];
  const url = req.headers[REQUEST_URL_HEADER];
  const dpop = req.headers.dpop;
  const request = {
    ip: typeof ip === 'string' && ip ? ip : null, userAgent: req.headers['user-agent'] ?? null, host: typeof host === 'string' && host ? host : null,
    // A device key registers with the session it opens (docs/DEVICES.md): the proof names this endpoint.
    proof: { value: typeof dpop === 'string' ? dpop : null, method: 'POST', url: typeof url === 'string' ? url : 'http://invalid/', bearer: false },
  };
  void sessionsEndpoint(() => readJson(req), request)
    .then((a) => {
      if (res.headersSent) return;
      res.writeHead(a.status, { ...STATIC_SECURITY_HEADERS, ...a.headers });
      res.end(JSON.stringify(a.body));
    })
    .catch((e) => sendError(res, e))
    .finally(() => req.resume());
  return true;
}

function readJson(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 'NaN');
  if (Number.isFinite(declared) && declared > MAX_BODY) return Promise.reject(new AppError('payload_too_large', 'The request body is too large.'));
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return Promise.reject(new AppError('unsupported_media_type', 'Send application/json.'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { reject(new AppError('payload_too_large', 'The request body is too large.')); req.pause(); return; }
      chunks.push(c);
    });
    req.on('end', () => {
      try { resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))); } catch { reject(new AppError('bad_request', 'The body is not valid JSON.')); }
    });
    req.on('error', reject);
  });
}
