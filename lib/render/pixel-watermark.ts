import path from 'node:path';
import sharp from 'sharp';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { FONT_FILES, fontsDir } from '../watermark/fonts';
import { stampStyle, tileOrigins } from '../watermark/tile-layout';

/**
 * Draws the recipient's mark into the pixels of a page image: the same line as on a watermarked PDF
 * (identity · IP · UTC minute · share), tiled diagonally in the same pattern (lib/watermark/tile-layout.ts),
 * plus one horizontal copy along the bottom edge. There is no layer to remove: the image the guest
 * receives is the marked one.
 *
 * Text is drawn with the fonts shipped in assets/fonts (registered once under private family names),
 * not system fonts, so the mark renders the same on every machine and in every script those fonts cover.
 */
const FAMILY_PREFIX = 'LiaisonMark';
let families: string | null = null;

function fontFamilies(): string {
  if (families) return families;
  families = FONT_FILES.map((file, i) => {
    const name = `${FAMILY_PREFIX}${i}`;
    if (!GlobalFonts.registerFromPath(path.join(fontsDir(), file), name)) throw new Error(`cannot load watermark font ${file}`);
    return `"${name}"`;
  }).join(', ');
  return families;
}

const OPACITY = 0.3;
const GREY = 77; // 0.3 grey, as on the PDF stamp

/** The mark alone, on a transparent layer of the page's size, as raw RGBA. */
function markLayerRgba(width: number, height: number, text: string): Buffer {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const style = stampStyle(width, height);
  const fonts = fontFamilies();
  ctx.fillStyle = `rgba(${GREY}, ${GREY}, ${GREY}, ${OPACITY})`;
  ctx.font = `${style.fontSize}px ${fonts}`;
  const lineWidth = ctx.measureText(text).width;
  const rad = (style.angle * Math.PI) / 180;
  // tileOrigins works in PDF coordinates (y up); the canvas has y down, so y and the angle flip.
  for (const p of tileOrigins(width, height, lineWidth, style)) {
    ctx.save();
    ctx.translate(p.x, height - p.y);
    ctx.rotate(-rad);
    ctx.fillText(text, 0, 0);
    ctx.restore();
  }
  const margin = style.fontSize;
  const footerSize = Math.max(4, Math.min(style.fontSize * 0.6, ((width - 2 * margin) / lineWidth) * style.fontSize));
  ctx.font = `${footerSize}px ${fonts}`;
  ctx.fillStyle = `rgba(${GREY}, ${GREY}, ${GREY}, 0.6)`;
  ctx.fillText(text, margin, height - footerSize * 1.2);
  const data = ctx.getImageData(0, 0, width, height).data;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * The mark as the pixels it covers: index, alpha and grey value of each inked pixel. The mark inks a
 * small part of the page, so blending only those pixels (below) is cheaper than compositing a whole
 * RGBA layer, and the cache holds several times more layers in the same memory.
 */
interface SparseMark { index: Uint32Array; alpha: Uint8Array; value: Uint8Array; bytes: number }

function markLayer(width: number, height: number, text: string): SparseMark {
  const rgba = markLayerRgba(width, height, text);
  let n = 0;
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i]) n++;
  const index = new Uint32Array(n);
  const alpha = new Uint8Array(n);
  const value = new Uint8Array(n);
  for (let p = 0, k = 0; p < width * height; p++) {
    const a = rgba[p * 4 + 3];
    if (!a) continue;
    index[k] = p; alpha[k] = a; value[k] = rgba[p * 4]; k++;
  }
  return { index, alpha, value, bytes: n * 6 };
}

// Page turns within the same minute reuse the layer; bounded by bytes, not entries.
const LAYER_CACHE_BYTES = 96 * 1024 * 1024;
const layers = new Map<string, SparseMark>();
let layerBytes = 0;

function cachedLayer(width: number, height: number, text: string): SparseMark {
  const key = `${width}x${height}\u0000${text}`;
  const hit = layers.get(key);
  if (hit) { layers.delete(key); layers.set(key, hit); return hit; }
  const layer = markLayer(width, height, text);
  layers.set(key, layer);
  layerBytes += layer.bytes;
  while (layerBytes > LAYER_CACHE_BYTES && layers.size > 1) {
    const [k, v] = layers.entries().next().value!;
    layers.delete(k);
    layerBytes -= v.bytes;
  }
  return layer;
}

/**
 * The page image with `text` drawn into its pixels, as PNG. Lossless, so text and mark stay crisp, and
 * at zlib level 3 without adaptive filtering it is both smaller and about three times faster than the
 * WebP this used to produce (measured on a 1200 px page: 29 ms and 390 KB, against 99 ms and 406 KB;
 * docs/BENCHMARKS.md, "Portal").
 */
export async function watermarkPageImage(image: Buffer, text: string): Promise<Buffer> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  if (!width || !height) throw new Error('page image without dimensions');
  const mark = cachedLayer(width, height, text);
  // "Over" blending of the grey mark into the colour channels of each inked pixel (alpha stays).
  const colours = channels >= 3 ? 3 : 1; // RGB(A), or grey (with alpha): never the alpha channel
  for (let k = 0; k < mark.index.length; k++) {
    const o = mark.index[k] * channels;
    const a = mark.alpha[k];
    const ink = mark.value[k] * a;
    for (let c = 0; c < colours; c++) data[o + c] = ((data[o + c] * (255 - a) + ink + 127) / 255) | 0;
  }
  return sharp(data, { raw: { width, height, channels } }).png({ compressionLevel: 3, adaptiveFiltering: false }).toBuffer();
}
