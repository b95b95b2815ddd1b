/** A dictionary's entries as [key, value bytes as they appear in the file (latin1)], in file order. */
export type RawEntries = Array<[string, string]>;

export interface IndexedPage {
  num: number;
  gen: number;
  /** The page's own entries except /Contents and /Resources, copied as they were. */
  entries: RawEntries;
  /** References of the original content streams, in order ("12 0 R"). */
  contents: string[];
  /** The resources the page uses (its own or inherited), resolved, without /XObject. */
  resources: RawEntries;
  /** Its XObject resources, resolved. */
  xobjects: RawEntries;
  /** The page as a reader sees it (CropBox within MediaBox, /Rotate applied). */
  frame: { width: number; height: number; matrix: [number, number, number, number, number, number] };
}

/**
 * What one upload-time pass over a PDF records for the streaming writer (./write-copy.ts). Stored
 * encrypted per version, like cached page images. Offsets are into the decrypted original.
 */
export interface FastIndex {
  v: 1;
  /** Of the original: the index is only used for the bytes it was made from. */
  sha256: string;
  size: number;
  pdfVersion: string;
  /** Live objects in file order: [number, generation, first byte, byte after "endobj"]. */
  objects: Array<[number, number, number, number]>;
  maxObj: number;
  root: { num: number; gen: number; entries: RawEntries };
  info?: { num: number; gen: number; entries: RawEntries };
  /** First element of the trailer /ID, hex. */
  id0?: string;
  pages: IndexedPage[];
}
