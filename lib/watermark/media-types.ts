/**
 * Types we can stamp. Callers refuse the download when the share says watermark and this is false:
 * an unmarked copy must never leave. PNG/JPEG could be added cheaply by wrapping the image in a
 * one-page PDF (pdf-lib embedPng/embedJpg), but the guest would then get a PDF, not their image.
 */
const WATERMARKABLE = new Set(['application/pdf']);

export function isWatermarkable(mediaType: string): boolean {
  return WATERMARKABLE.has(mediaType.toLowerCase().split(';')[0].trim());
}
