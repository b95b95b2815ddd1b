export { restrictPdf, watermarkPdf, type WatermarkOptions } from './watermark-pdf';
export { isWatermarkable } from './media-types';
export type { WatermarkMark } from './mark-text';
