import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { log } from '../log';
import { CONTENT_LENGTH_HEADER } from './content-length';
import { describeError } from './error-response';
import { documentContent, listDocuments } from './guest-api-routes';
import { STATIC_SECURITY_HEADERS } from './static-headers';

const LIST_PATH = '/api/portal/v1/documents';
const CONTENT_PATH = /^\/api\/portal\/v1\/documents\/([^/?]+)\/content$/;
// Bodies up to this size are collected and sent in one write; larger files stream.
const WHOLE_BODY_BYTES = 1024 * 1024;

/**
 * GET /api/portal/v1/documents and GET …/documents/<id>/content on the raw Node request, ahead of
 * Next.js routing, as POST /api/portal/v1/sessions already is (lib/http/sessions-handler.ts). These are
 * the requests a guest client repeats; profiled on the embedded database, Next's request parsing,
 * routing and response plumbing were a large share of what each cost (docs/BENCHMARKS.md, "Guest API").
 * The handlers are the route files' own (lib/http/guest-api-routes.ts): the same token check, path id
 * validation, policy decision and audit. Only the transport differs, and it adds the headers Next would
 * (next.config.js) and restores Content-Length as restoreContentLength does. Anything else, including
 * HEAD, a trailing slash or an undecodable id, is left to Next. Returns true when it took the request.
 */
export function handleHotGuestGets(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' || !req.url) return false;
  const q = req.url.indexOf('?');
  const pathname = q === -1 ? req.url : req.url.slice(0, q);
  let answer: (r: Request) => Promise<Response>;
  if (pathname === LIST_PATH) {
    answer = (r) => listDocuments(r);
  } else {
    const m = CONTENT_PATH.exec(pathname);
    if (!m) return false;
    let id: string;
    // Next decodes a dynamic segment the same way; one it cannot decode goes to Next's own answer.
    try { id = decodeURIComponent(m[1]); } catch { return false; }
    answer = (r) => documentContent(r, { params: Promise.resolve({ id }) });
  }
  void answer(webRequest(req))
    .then((r) => send(res, r))
    .catch((e: unknown) => {
      if (res.headersSent) { res.destroy(); return; }
      const d = describeError(e);
      res.writeHead(d.status, { ...STATIC_SECURITY_HEADERS, ...d.headers });
      res.end(JSON.stringify(d.body));
    })
    .finally(() => req.resume());
  return true;
}

/** A fetch Request carrying the raw request's headers, including those server.ts decided (client IP, host, URL). */
function webRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  // Only the path and query are read (bearerToken refuses tokens in the query); the origin is never used.
  return new Request(`http://localhost${req.url}`, { method: 'GET', headers });
}

async function send(res: ServerResponse, r: Response): Promise<void> {
  const headers: Record<string, string> = { ...STATIC_SECURITY_HEADERS };
  r.headers.forEach((value, name) => { headers[name] = value; });
  const declared = headers[CONTENT_LENGTH_HEADER];
  delete headers[CONTENT_LENGTH_HEADER];
  const length = declared !== undefined && /^\d{1,15}$/.test(declared) ? Number(declared) : null;
  if (!r.body) {
    res.writeHead(r.status, headers);
    res.end();
    return;
  }
  if (length === null || length <= WHOLE_BODY_BYTES) {
    const body = Buffer.from(await r.arrayBuffer());
    res.writeHead(r.status, { ...headers, 'content-length': String(body.length) });
    res.end(body);
    return;
  }
  res.writeHead(r.status, { ...headers, 'content-length': String(length) });
  try {
    await pipeline(Readable.fromWeb(r.body as unknown as NodeWebStream<Uint8Array>), res);
  } catch (e) {
    // The client went away, or the file failed mid-way: the connection is closed short of its
    // declared length, so no client takes it for the whole file.
    log.warn({ err: (e as Error)?.message }, 'guest content stream ended early');
    res.destroy();
  }
}
