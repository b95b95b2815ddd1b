import sharp, { type Metadata } from 'sharp';
import { AppError } from '../errors';

/** At most this many bytes are accepted as an upload (1 MiB). */
export const LOGO_MAX_BYTES = 1024 * 1024;
/** The stored logo fits in this box; a header never draws it larger. */
export const LOGO_BOX = 512;
/**
 * An image with more pixels than this is refused from its header, before any pixel is decoded: a
 * 20000×20000 PNG compresses to a few kilobytes and would take over a gigabyte to decode. sharp's
 * limitInputPixels is set to the same value, so a header that lies is stopped by the decoder too.
 */
export const LOGO_MAX_PIXELS = 16_000_000;
export const LOGO_MAX_SIDE = 8192;

const ACCEPTED = new Set(['png', 'jpeg', 'webp']);
export const LOGO_MEDIA_TYPE = 'image/png';

export interface ProcessedLogo { bytes: Buffer; mediaType: string; width: number; height: number }

/**
 * Checks an uploaded logo and re-encodes it. The format is decided from the bytes (sharp's own
 * detection), never from the file name or the declared type, so an SVG named logo.png is still an
 * SVG, and refused: SVG can carry script. The result is a PNG that fits in 512×512, turned upright
 * from its EXIF orientation, with every metadata block (EXIF, XMP, ICC, comments) left behind.
 */
export async function processLogo(input: Buffer | Uint8Array): Promise<ProcessedLogo> {
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input);
  if (bytes.length === 0) throw new AppError('validation_failed', 'logo: the file is empty.');
  if (bytes.length > LOGO_MAX_BYTES) throw new AppError('payload_too_large', 'logo: the file is over the 1 MB limit.');
  const options = { limitInputPixels: LOGO_MAX_PIXELS, failOn: 'error' as const };
  let meta: Metadata;
  try {
    // The header only: metadata() decodes no pixel, so the size check below can name the dimensions.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (e) {
    // Not an image sharp recognises at all (text, a PDF, a truncated file).
    throw new AppError('unsupported_media_type', 'logo: the file is not a PNG, JPEG or WebP image.', { cause: e });
  }
  if (!meta.format || !ACCEPTED.has(meta.format)) {
    const what = meta.format === 'svg' ? 'SVG images are not accepted (they can carry scripts)' : `${String(meta.format ?? 'this format').toUpperCase()} is not accepted`;
    throw new AppError('unsupported_media_type', `logo: ${what}. Upload a PNG, JPEG or WebP image.`);
  }
  const { width = 0, height = 0 } = meta;
  if (!width || !height || width > LOGO_MAX_SIDE || height > LOGO_MAX_SIDE || width * height > LOGO_MAX_PIXELS) {
    throw new AppError('unprocessable', `logo: ${width}×${height} pixels is too large an image. Logos may be up to ${LOGO_MAX_SIDE} pixels a side and ${LOGO_MAX_PIXELS / 1_000_000} megapixels.`);
  }
  try {
    const { data, info } = await sharp(bytes, options)
      .rotate()
      .resize(LOGO_BOX, LOGO_BOX, { fit: 'inside', withoutEnlargement: true })
      .png({ compressionLevel: 9, palette: false })
      .toBuffer({ resolveWithObject: true });
    return { bytes: data, mediaType: LOGO_MEDIA_TYPE, width: info.width, height: info.height };
  } catch (e) {
    throw new AppError('unprocessable', 'logo: the image could not be read. It may be damaged; export it again and retry.', { cause: e });
  }
}
