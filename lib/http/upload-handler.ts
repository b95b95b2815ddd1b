import type { IncomingMessage, ServerResponse } from 'node:http';
import busboy from 'busboy';
import { Readable } from 'node:stream';
import { config } from '../config';
import { AppError } from '../errors';
import { resolvePrincipal } from '../auth/resolve';
import { authorize } from '../auth/principal';
import { addVersion, createDocument } from '../documents/service';
import { clientIp } from './client-ip';
import { sendError, sendJson } from './error-response';
import { assertSameOrigin } from './same-origin';
import { requireIds } from './staff-ids';

// Any segment is taken as the document id, so that a malformed one is refused and audited here
// rather than falling through to a page that does not exist.
const ROUTES = [
  { re: /^\/api\/v1\/documents\/?$/, kind: 'create' as const },
  { re: /^\/api\/v1\/documents\/([^/]+)\/versions\/?$/, kind: 'version' as const },
];

/** The path segment as the client meant it; a segment that is not valid UTF-8 stays as sent (and is no id). */
function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

// Room for multipart boundaries and the small text fields around the file.
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * Uploads are handled here, on the raw Node request, rather than in a Next route: Next buffers
 * request bodies for proxy.ts, and we must refuse oversized bodies before reading them and stream
 * the rest straight into encrypted storage. Returns false for requests that are not uploads.
 */
export function handleUpload(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'POST') return false;
  const path = (req.url ?? '').split('?')[0];
  const route = ROUTES.map((r) => ({ ...r, m: r.re.exec(path) })).find((r) => r.m);
  if (!route) return false;
  const documentId = route.m?.[1] === undefined ? undefined : decodeSegment(route.m[1]);
  void run(req, res, route.kind, documentId).catch((e) => {
    sendError(res, e);
    req.resume();
  });
  return true;
}

async function run(req: IncomingMessage, res: ServerResponse, kind: 'create' | 'version', documentId?: string) {
  const max = config().LIAISON_MAX_UPLOAD_BYTES;
  const request = { ip: clientIp(req), userAgent: req.headers['user-agent'] ?? null };
  const principal = await resolvePrincipal({ authorization: req.headers.authorization, cookie: req.headers.cookie }, request);
  if (principal.kind === 'staff') assertSameOrigin(req.headers.origin, req.headers.host);
  if (kind === 'version') await requireIds(principal, 'POST /api/v1/documents/{id}/versions', { documentId });
  authorize(principal, 'documents:write');
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max + MULTIPART_OVERHEAD) {
    throw new AppError('payload_too_large', `The file exceeds the ${Math.round(max / 1048576)} MB limit.`);
  }
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    throw new AppError('unsupported_media_type', 'Send multipart/form-data with a "file" field.');
  }
  const result = await parseAndStore(req, max, (file, fields) =>
    kind === 'create' ? createDocument(principal, file, fields, max) : addVersion(principal, documentId!, file, fields, max));
  sendJson(res, 201, result);
}

/**
 * Streams the one "file" part to `store`. Text fields may arrive before or after the file. Guest
 * proposals (lib/http/proposal-upload.ts) share it.
 */
export function parseAndStore<T>(req: IncomingMessage, max: number, store: (file: { stream: Readable; fileName: string | null; mediaType: string }, fields: Promise<Record<string, string>>) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fields: Record<string, string> = {};
    let fieldsDone!: (f: Record<string, string>) => void;
    const allFields = new Promise<Record<string, string>>((r) => { fieldsDone = r; });
    let bb: busboy.Busboy;
    try {
      // Browsers send file names as raw UTF-8 (busboy's default would read them as latin1).
      bb = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fields: 10, fieldSize: 4096, fileSize: max + 1, parts: 12 } });
    } catch {
      return reject(new AppError('bad_request', 'Malformed multipart body.'));
    }
    let pending: Promise<T> | null = null;
    let fileStream: Readable | null = null;
    let failed = false;
    // Destroy the file stream *with* the error: a bare destroy() never reaches the storage pipeline,
    // which would then wait forever and leave its .part file behind.
    const fail = (e: unknown) => { if (!failed) { failed = true; fileStream?.destroy(e instanceof Error ? e : new Error(String(e))); req.unpipe(bb); reject(e); } };
    bb.on('field', (name, value) => { fields[name] = value; });
    bb.on('file', (name, stream, info) => {
      if (name !== 'file' || pending) { stream.resume(); return; }
      fileStream = stream;
      // Errors reach the caller through the storage pipeline or fail(); without a listener, one raised
      // before storage attaches its own (addVersion checks the document first) would crash the process.
      stream.on('error', () => undefined);
      // busboy signals the size limit by truncating; turn that into an error so nothing is stored.
      stream.on('limit', () => stream.destroy(new AppError('payload_too_large', `The file exceeds the ${Math.round(max / 1048576)} MB limit.`)));
      // Fields may follow the file: the domain call awaits them after storing it.
      pending = store({ stream, fileName: info.filename ?? null, mediaType: info.mimeType }, allFields);
      pending.catch(fail);
    });
    bb.on('error', () => fail(new AppError('bad_request', 'Malformed multipart body.')));
    bb.on('close', () => {
      fieldsDone(fields);
      if (failed) return;
      if (!pending) return fail(new AppError('validation_failed', 'The "file" field is missing.'));
      pending.then(resolve, fail);
    });
    req.on('aborted', () => fail(new AppError('bad_request', 'Upload aborted.')));
    req.pipe(bb);
  });
}
