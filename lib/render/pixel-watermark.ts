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
function markLayer(width: number, height: number, text: string): Buffer {
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

// Page turns within the same minute reuse the layer; bounded by bytes, not entries.
const LAYER_CACHE_BYTES = 96 * 1024 * 1024;
const layers = new Map<string, Buffer>();
let layerBytes = 0;

function cachedLayer(width: number, height: number, text: string): Buffer {
  const key = `${width}x${height}\u0000${text}`;
  const hit = layers.get(key);
  if (hit) { layers.delete(key); layers.set(key, hit); return hit; }
  const layer = markLayer(width, height, text);
  layers.set(key, layer);
  layerBytes += layer.length;
  while (layerBytes > LAYER_CACHE_BYTES && layers.size > 1) {
    const [k, v] = layers.entries().next().value!;
    layers.delete(k);
    layerBytes -= v.length;
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
  const { width, height } = await sharp(image).metadata();
  if (!width || !height) throw new Error('page image without dimensions');
  const layer = cachedLayer(width, height, text);
  return sharp(image)
    .composite([{ input: layer, raw: { width, height, channels: 4 } }])
    .png({ compressionLevel: 3, adaptiveFiltering: false })
    .toBuffer();
}
