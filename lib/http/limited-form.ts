import { AppError } from '../errors';

// Room for the multipart boundaries and part headers around the one file.
const MULTIPART_OVERHEAD = 16 * 1024;

/**
 * Reads a small multipart form (a logo, not a document: documents stream through upload-handler.ts)
 * and returns its "file" part. An oversized body is refused from its Content-Length before it is read,
 * and a body without one is cut off as soon as it passes the limit, so nothing large is buffered.
 */
export async function readSmallFile(req: Request, maxFileBytes: number, tooLarge: string): Promise<Uint8Array> {
  return (await readSmallFilePart(req, maxFileBytes, tooLarge)).bytes;
}

/** readSmallFile, with the name the client gave the file (for the record, never for storage). */
export async function readSmallFilePart(req: Request, maxFileBytes: number, tooLarge: string): Promise<{ bytes: Uint8Array; name: string }> {
  const max = maxFileBytes + MULTIPART_OVERHEAD;
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) throw new AppError('payload_too_large', tooLarge);
  const type = req.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(type)) throw new AppError('unsupported_media_type', 'Send multipart/form-data with a "file" field.');
  if (!req.body) throw new AppError('validation_failed', 'file: the request has no body.');
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new AppError('payload_too_large', tooLarge);
    }
    chunks.push(value);
  }
  let form: FormData;
  try {
    form = await new Response(Buffer.concat(chunks), { headers: { 'content-type': type } }).formData();
  } catch {
    throw new AppError('bad_request', 'The multipart body could not be read.');
  }
  const file = form.get('file');
  if (!file || typeof file === 'string') throw new AppError('validation_failed', 'file: attach the file as a "file" part.');
  if (file.size > maxFileBytes) throw new AppError('payload_too_large', tooLarge);
  return { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name };
}
