/*
 * PDFium (WebAssembly) in a worker thread: rendering a page takes tens to hundreds of milliseconds of CPU,
 * which must not stall the server's event loop. Plain JavaScript, loaded by path at run time
 * (lib/render/pdfium-pool.ts), so that Next's bundler never has to understand worker entry points.
 *
 * Messages in:  { id, op: 'layout' | 'render', key, bytes?, page?, width?, maxHeight? }
 * Messages out: { id, ok: true, ... } | { id, ok: false, code, message }
 * A document is parsed once and kept open (LRU by key = version id); when it has been evicted the reply
 * is { ok: false, code: 'need_bytes' } and the pool sends the bytes again.
 */
import { parentPort } from 'node:worker_threads';
import { PDFiumLibrary } from '@hyzyla/pdfium';

const MAX_OPEN = 4;
const MAX_OPEN_BYTES = 256 * 1024 * 1024;
const libPromise = PDFiumLibrary.init();
/** key → { doc, size, sizes } in least-recently-used order (Map keeps insertion order). */
const open = new Map();

function touch(key) {
  const entry = open.get(key);
  if (entry) { open.delete(key); open.set(key, entry); }
  return entry;
}

function evict() {
  let total = 0;
  for (const e of open.values()) total += e.size;
  while (open.size > MAX_OPEN || (open.size > 1 && total > MAX_OPEN_BYTES)) {
    const [key, e] = open.entries().next().value;
    open.delete(key);
    total -= e.size;
    try { e.doc.destroy(); } catch { /* already gone */ }
  }
}

async function load(key, bytes) {
  const lib = await libPromise;
  let doc;
  try {
    doc = await lib.loadDocument(new Uint8Array(bytes));
  } catch (e) {
    const msg = String(e?.message ?? e);
    // PDFium reports a password-protected file as its own error code (FPDF_ERR_PASSWORD = 4).
    const code = /password|code 4\b|error 4\b/i.test(msg) ? 'encrypted' : 'malformed';
    throw Object.assign(new Error(msg), { code });
  }
  const count = doc.getPageCount();
  if (!Number.isSafeInteger(count) || count < 1) { doc.destroy(); throw Object.assign(new Error('no pages'), { code: 'malformed' }); }
  const sizes = [];
  for (let i = 0; i < count; i++) {
    const { originalWidth, originalHeight } = doc.getPage(i).getOriginalSize();
    sizes.push({ width: Math.round(originalWidth * 100) / 100, height: Math.round(originalHeight * 100) / 100 });
  }
  const entry = { doc, size: bytes.byteLength, sizes };
  open.set(key, entry);
  evict();
  return entry;
}

async function handle(msg) {
  let entry = touch(msg.key);
  if (!entry) {
    if (!msg.bytes) return { ok: false, code: 'need_bytes' };
    entry = await load(msg.key, msg.bytes);
  }
  if (msg.op === 'layout') return { ok: true, sizes: entry.sizes };
  const index = msg.page - 1;
  if (!(index >= 0 && index < entry.sizes.length)) return { ok: false, code: 'no_page', message: 'no such page' };
  const { width: w, height: h } = entry.sizes[index];
  // Fit the requested width, but never beyond maxHeight (a very tall page would make a huge bitmap).
  const scale = Math.min(msg.width / w, msg.maxHeight / h);
  const r = await entry.doc.getPage(index).render({ scale, render: 'bitmap' });
  const data = r.data.buffer.byteLength === r.data.byteLength ? r.data.buffer : r.data.slice().buffer;
  return { ok: true, width: r.width, height: r.height, data, transfer: [data] };
}

parentPort.on('message', async (msg) => {
  try {
    const out = await handle(msg);
    const transfer = out.transfer ?? [];
    delete out.transfer;
    parentPort.postMessage({ id: msg.id, ...out }, transfer);
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, code: e?.code ?? 'render_failed', message: String(e?.message ?? e) });
  }
});
