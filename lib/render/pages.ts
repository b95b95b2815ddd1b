import { buffer as readAll } from 'node:stream/consumers';
import sharp from 'sharp';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { readBlob } from '../storage/blob-store';
import { hasCached, readCached, writeCached } from './page-cache';
import { pdfLayout, pdfRender, type PageSize } from './pdfium-pool';

/** What the server can turn into page images. Anything else is refused with a message, never streamed. */
export type ViewerKind = 'pdf' | 'image' | 'unsupported';

const RASTER = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export function viewerKind(mediaType: string): ViewerKind {
  if (mediaType === 'application/pdf') return 'pdf';
  // SVG is refused on purpose: it is a document with scripts and external references, not a picture.
  if (RASTER.has(mediaType)) return 'image';
  return 'unsupported';
}

export function unsupportedMessage(mediaType: string): string {
  if (/officedocument|msword|ms-excel|ms-powerpoint|opendocument|rtf/.test(mediaType)) {
    return 'Office documents cannot be shown in the secure viewer. Ask the sender to share a PDF.';
  }
  return 'This file type cannot be shown in the secure viewer.';
}

/** Widths the server renders; a request is rounded up to one of them so the cache stays small. */
export const PAGE_WIDTHS = [160, 800, 1200, 1600, 2000, 2400] as const;
export const THUMBNAIL_WIDTH = 160;
export const DEFAULT_WIDTH = 1200;
export const widthBucket = (w: number | null | undefined): number =>
  PAGE_WIDTHS.find((b) => b >= (w ?? DEFAULT_WIDTH)) ?? PAGE_WIDTHS[PAGE_WIDTHS.length - 1];

// A very tall page (a receipt, a scroll) is scaled down so the bitmap stays bounded.
const maxHeightFor = (width: number) => Math.min(8000, width * 4);
// Raster uploads are decoded with a pixel limit: a "decompression bomb" is refused, not expanded.
const MAX_INPUT_PIXELS = 50_000_000;

export interface ServableVersion {
  id: string; blobKey: string; wrappedKey: Uint8Array; mediaType: string; pages: number | null;
}

export interface Layout { pages: number; sizes: PageSize[] }

const bytesOf = (v: ServableVersion) => async () => readAll(await readBlob(v.blobKey, v.wrappedKey));

// A cache entry that could not be written is rendered again next time: the page itself is still good.
const keep = (versionId: string, name: string, data: Buffer) => writeCached(versionId, name, data).catch(() => undefined);

function refuseUnsupported(v: ServableVersion): never {
  throw new AppError('unprocessable', unsupportedMessage(v.mediaType));
}

const layouts = new Map<string, Layout>();

/**
 * Page count and sizes of a version (points for a PDF, pixels for an image). Cached per version in
 * memory and in the encrypted page cache, and the count is stored on the version for listings.
 */
export async function documentLayout(v: ServableVersion): Promise<Layout> {
  const known = layouts.get(v.id);
  if (known) return known;
  const cached = await readCached(v.id, 'layout.json');
  let layout: Layout;
  if (cached) layout = JSON.parse(cached.toString()) as Layout;
  else {
    const kind = viewerKind(v.mediaType);
    if (kind === 'unsupported') refuseUnsupported(v);
    const sizes = kind === 'pdf' ? await pdfLayout(v.id, bytesOf(v)) : [await imageSize(v)];
    layout = { pages: sizes.length, sizes };
    await keep(v.id, 'layout.json', Buffer.from(JSON.stringify(layout)));
  }
  if (layouts.size > 1000) layouts.delete(layouts.keys().next().value!);
  layouts.set(v.id, layout);
  if (v.pages !== layout.pages) await prisma().documentVersion.updateMany({ where: { id: v.id }, data: { pages: layout.pages } });
  return layout;
}

async function imageSize(v: ServableVersion): Promise<PageSize> {
  const bytes = await bytesOf(v)(); // a storage failure is not an unreadable image
  try {
    const m = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
    if (!m.width || !m.height) throw new Error('no dimensions');
    const rotated = (m.orientation ?? 1) >= 5; // EXIF orientations 5-8 swap width and height
    return rotated ? { width: m.height, height: m.width } : { width: m.width, height: m.height };
  } catch {
    throw new AppError('unprocessable', 'This image could not be read, so it cannot be shown in the viewer.');
  }
}

const inFlight = new Map<string, Promise<Buffer>>();

/**
 * One page as a PNG image `width` pixels wide (a PAGE_WIDTHS bucket), without watermark: from the
 * encrypted cache, or rendered once (concurrent requests for the same page share one render).
 */
export async function pageImage(v: ServableVersion, page: number, width: number): Promise<Buffer> {
  const layout = await documentLayout(v);
  if (!Number.isSafeInteger(page) || page < 1 || page > layout.pages) throw new AppError('not_found', 'This page does not exist.');
  const name = `p${page}-w${width}.png`;
  const cached = await readCached(v.id, name);
  if (cached) return cached;
  const key = `${v.id}/${name}`;
  let job = inFlight.get(key);
  if (!job) {
    job = render(v, page, width).then(async (img) => { await keep(v.id, name, img); return img; }).finally(() => inFlight.delete(key));
    inFlight.set(key, job);
  }
  return job;
}

/** Renders a page into the cache if it is not there yet, sending nothing (quick page turns). */
export async function warmPage(v: ServableVersion, page: number, width: number): Promise<void> {
  const layout = await documentLayout(v);
  if (page < 1 || page > layout.pages || (await hasCached(v.id, `p${page}-w${width}.png`))) return;
  await pageImage(v, page, width);
}

// Lossless PNG at low compression: text stays sharp through the per-request watermark pass, and it
// decodes in a few milliseconds (lossless WebP is smaller on disk but three times slower to decode).
const CACHE_PNG = { compressionLevel: 1 } as const;

async function render(v: ServableVersion, page: number, width: number): Promise<Buffer> {
  const kind = viewerKind(v.mediaType);
  if (kind === 'unsupported') refuseUnsupported(v);
  if (kind === 'pdf') {
    const raw = await pdfRender(v.id, bytesOf(v), page, width, maxHeightFor(width));
    return sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 4 } })
      .flatten({ background: '#ffffff' }).png(CACHE_PNG).toBuffer();
  }
  const bytes = await bytesOf(v)();
  try {
    return await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, animated: false })
      .rotate() // apply EXIF orientation
      .resize({ width, height: maxHeightFor(width), fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .png(CACHE_PNG).toBuffer();
  } catch {
    throw new AppError('unprocessable', 'This image could not be read, so it cannot be shown in the viewer.');
  }
}
