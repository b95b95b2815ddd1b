/** A dictionary's entries as [key, value bytes as they appear in the file (latin1)], in file order. */
export type RawEntries = Array<[string, string]>;

/** The page as a reader sees it (CropBox within MediaBox, /Rotate applied). */
export interface PageFrame {
  width: number;
  height: number;
  matrix: [number, number, number, number, number, number];
}

/** What the index pass reads about one page, before the marked dictionary is planned (./mark-plan.ts). */
export interface PageFacts {
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
  frame: PageFrame;
}

export interface IndexedPage {
  num: number;
  gen: number;
  frame: PageFrame;
  /** The whole page object of a marked copy, "N G obj … endobj\n" (latin1). */
  marked: string;
}

/** Object numbers of a marked copy's fixed stamp parts, just above the original's. */
export interface StampPlan {
  /** The `q` stream that opens every page's content. */
  open: number;
  /** One closing stream per distinct page frame: "Q", then the stamp drawn in the frame. */
  closers: Array<{ num: number; ops: string }>;
  /** One stamp Form XObject per distinct page size, under this number. */
  forms: Array<{ num: number; width: number; height: number }>;
  /** The first number free for the stamp's other objects (fonts, graphics state). */
  next: number;
}

/**
 * What one upload-time pass over a PDF records for the streaming writer (./write-copy.ts). Stored
 * encrypted per version, like cached page images. Offsets are into the decrypted original.
 */
export interface FastIndex {
  v: 2;
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
  stamp: StampPlan;
  pages: IndexedPage[];
}
