import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors';
import { log } from '../log';

export interface PageSize { width: number; height: number }
export interface RawPage { width: number; height: number; data: Buffer }

type Reply = { id: number; ok: true; sizes?: PageSize[]; width?: number; height?: number; data?: ArrayBuffer }
  | { id: number; ok: false; code: string; message?: string };

interface Job { resolve(r: Reply): void; reject(e: unknown): void; timer: NodeJS.Timeout }

// A hostile or pathological PDF must not hold a worker for ever.
const JOB_TIMEOUT_MS = 30_000;
const WORKERS = Math.max(1, Math.min(2, os.availableParallelism()));

/** Resolved from the working directory, like the fonts and migrations: the server starts at the root. */
const workerFile = () => path.resolve(process.cwd(), 'lib/render/pdfium-worker.mjs');

class PdfWorker {
  private worker: Worker | null = null;
  private jobs = new Map<number, Job>();
  private next = 1;

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(workerFile());
    w.unref(); // never keeps a finished process (tests, CLI) alive
    w.on('message', (r: Reply) => {
      const job = this.jobs.get(r.id);
      if (!job) return;
      this.jobs.delete(r.id);
      clearTimeout(job.timer);
      job.resolve(r);
    });
    const fail = (e: unknown) => {
      if (this.worker !== w) return;
      this.worker = null;
      for (const job of this.jobs.values()) { clearTimeout(job.timer); job.reject(e); }
      this.jobs.clear();
    };
    w.on('error', (e) => { log.error({ err: e }, 'page renderer crashed'); fail(e); });
    w.on('exit', (code) => fail(new Error(`page renderer exited (${code})`)));
    this.worker = w;
    return w;
  }

  call(msg: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<Reply> {
    const w = this.ensure();
    const id = this.next++;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.jobs.delete(id);
        reject(new AppError('unprocessable', 'This document took too long to render.'));
        // The worker may be stuck inside WebAssembly: replace it (its other jobs fail and are retried by callers).
        void w.terminate();
      }, JOB_TIMEOUT_MS);
      this.jobs.set(id, { resolve, reject, timer });
      w.postMessage({ id, ...msg }, transfer);
    });
  }
}

const g = globalThis as unknown as { __liaisonPdfWorkers?: PdfWorker[] };
const workers = () => (g.__liaisonPdfWorkers ??= Array.from({ length: WORKERS }, () => new PdfWorker()));

/** The same document always goes to the same worker, so it is parsed once and stays open there. */
function workerFor(key: string): PdfWorker {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0;
  const pool = workers();
  return pool[Math.abs(h) % pool.length];
}

function toError(r: Extract<Reply, { ok: false }>): AppError {
  if (r.code === 'no_page') return new AppError('not_found', 'This page does not exist.');
  if (r.code === 'encrypted') return new AppError('unprocessable', 'This PDF is protected by a password, so it cannot be shown in the viewer.');
  if (r.code === 'malformed') return new AppError('unprocessable', 'This PDF could not be read, so it cannot be shown in the viewer.');
  log.warn({ code: r.code, message: r.message }, 'page render failed');
  return new AppError('unprocessable', 'This page could not be rendered.');
}

/** Runs `msg` on the document `key`, sending its bytes (read lazily) when the worker does not hold it. */
async function onDocument(key: string, bytes: () => Promise<Buffer>, msg: Record<string, unknown>): Promise<Extract<Reply, { ok: true }>> {
  const w = workerFor(key);
  let r = await w.call({ ...msg, key });
  if (!r.ok && r.code === 'need_bytes') {
    const b = await bytes();
    // A fresh, exactly sized buffer that can be moved (not copied) into the worker.
    const ab = new ArrayBuffer(b.byteLength);
    new Uint8Array(ab).set(b);
    r = await w.call({ ...msg, key, bytes: ab }, [ab]);
  }
  if (!r.ok) throw toError(r);
  return r;
}

/** Page count and page sizes (PDF points) of a PDF. */
export async function pdfLayout(key: string, bytes: () => Promise<Buffer>): Promise<PageSize[]> {
  const r = await onDocument(key, bytes, { op: 'layout' });
  return r.sizes!;
}

/** One page as raw RGBA, `width` pixels wide (or less when the page is very tall: `maxHeight` bounds it). */
export async function pdfRender(key: string, bytes: () => Promise<Buffer>, page: number, width: number, maxHeight: number): Promise<RawPage> {
  const r = await onDocument(key, bytes, { op: 'render', page, width, maxHeight });
  return { width: r.width!, height: r.height!, data: Buffer.from(r.data!) };
}
