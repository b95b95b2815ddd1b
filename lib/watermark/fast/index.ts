/**
 * Fast per-recipient PDF copies. The expensive part (parsing) happens once per version, at upload
 * (./build-index.ts); a download is then one sequential pass over the original (./write-copy.ts).
 *
 * Hand-written on purpose: the JavaScript PDF libraries (pdf-lib, pdfjs, pdfkit) load a whole
 * document into an object graph and serialise it again, which is the ~1 s per 1,000 pages this
 * replaces; none maintained rewrites a file as a stream, copying objects through. qpdf does, but as a
 * process per download it costs its own start-up and full parse every time. The parser here reads only
 * what the index needs and refuses anything it cannot index with certainty, so unusual files still
 * go through pdf-lib.
 */
export { buildFastIndex } from './build-index';
export { fastIndexFor, forgetFastIndex, indexUploadedVersion, unindexableReason, type IndexableVersion } from './index-store';
export { writeFastCopy, type FastCopy } from './write-copy';
export type { FastIndex } from './types';
