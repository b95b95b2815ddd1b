import { visibleBox, visualFrame, type Box } from '../page-geometry';
import { fail, NotIndexable, parseIndirect, rawOf, type Dict, type IndirectObject, type Value } from './syntax';
import { readXref } from './xref';
import { planMarks } from './mark-plan';
import type { FastIndex, PageFacts, RawEntries } from './types';

const MAX_TREE_DEPTH = 64;
/** Entries the writer sets on a page itself; everything else is copied as it was. */
const PAGE_REWRITTEN = new Set(['Contents', 'Resources']);

/**
 * Reads a PDF once (at upload) and records what the streaming writer needs: where each live object is,
 * the page tree with inherited attributes resolved, the catalog, Info and ID. Returns the reason instead
 * when the file is anything this parser cannot index with certainty (encrypted, objects in object
 * streams, a broken cross-reference, a wrong stream /Length, an odd page tree): the caller then uses
 * the pdf-lib path, which either marks it or refuses it.
 */
export function buildFastIndex(b: Buffer, sha256: string): FastIndex | { unindexable: string } {
  try {
    return build(b, sha256);
  } catch (e) {
    if (e instanceof NotIndexable) return { unindexable: e.message };
    if (e instanceof RangeError) return { unindexable: `out of range: ${e.message}` };
    throw e;
  }
}

function build(b: Buffer, sha256: string): FastIndex {
  const head = /^%PDF-(\d\.\d)/.exec(b.toString('latin1', 0, 1024).replace(/^[^%]*/, ''));
  if (!head) fail('no %PDF header');
  const xref = readXref(b);
  const cache = new Map<number, IndirectObject>();

  const resolveNum = (v: Value): number => {
    if (v.t === 'num') return v.v;
    if (v.t === 'ref') {
      const t = object(v.num, v.gen).value;
      if (t.t === 'num') return t.v;
    }
    return fail('expected a number');
  };
  function object(num: number, gen: number): IndirectObject {
    let o = cache.get(num);
    if (!o) {
      const e = xref.entries.get(num);
      if (!e || e.gen !== gen) fail(`object ${num} ${gen} is not in the cross-reference`);
      o = parseIndirect(b, e!.offset, resolveNum);
      if (o.num !== num || o.gen !== gen) fail(`cross-reference for ${num} points at ${o.num}`);
      cache.set(num, o);
    }
    return o;
  }
  const deref = (v: Value): Value => (v.t === 'ref' ? object(v.num, v.gen).value : v);
  const dictOf = (v: Value | undefined, what: string): Dict => {
    const d = v && deref(v);
    return d?.t === 'dict' ? d : fail(`${what} is not a dictionary`);
  };
  const entriesOf = (d: Dict, skip: Set<string> = new Set()): RawEntries =>
    [...d.entries].filter(([k]) => !skip.has(k)).map(([k, v]) => [k, rawOf(b, v)]);

  // Every live object, checked and spanned, in file order.
  const objects: FastIndex['objects'] = [];
  let maxObj = 0;
  for (const [num, e] of xref.entries) {
    maxObj = Math.max(maxObj, num);
    if (xref.xrefStreams.has(num)) continue;
    const o = object(num, e.gen);
    const t = o.value.t === 'dict' ? o.value.entries.get('Type') : undefined;
    // The linearization dictionary would describe a layout the copy no longer has.
    if (o.value.t === 'dict' && o.value.entries.has('Linearized')) continue;
    if (t?.t === 'name' && (t.v === 'ObjStm' || t.v === 'XRef')) fail(`unexpected /${t.v} object`);
    objects.push([num, e.gen, o.start, o.end]);
  }
  objects.sort((x, y) => x[2] - y[2]);
  for (let i = 1; i < objects.length; i++) if (objects[i][2] < objects[i - 1][3]) fail('objects overlap');
  const size = xref.trailer.entries.get('Size');
  if (size?.t === 'num') maxObj = Math.max(maxObj, size.v - 1);

  const rootRef = xref.trailer.entries.get('Root');
  if (rootRef?.t !== 'ref') fail('no /Root reference');
  const root = rootRef as Extract<Value, { t: 'ref' }>;
  const catalog = dictOf(root, 'catalog');
  const infoRef = xref.trailer.entries.get('Info');
  let info: FastIndex['info'];
  if (infoRef?.t === 'ref' && xref.entries.has(infoRef.num)) {
    info = { num: infoRef.num, gen: infoRef.gen, entries: entriesOf(dictOf(infoRef, 'Info')) };
  }
  const id = xref.trailer.entries.get('ID');
  const id0 = id?.t === 'arr' && id.items[0]?.t === 'str' ? id.items[0].bytes.toString('hex') : undefined;

  // The page tree, inherited attributes carried down (ISO 32000 §7.7.3.4).
  const pages: PageFacts[] = [];
  const visited = new Set<number>();
  interface Inherited { resources?: Value; media?: Value; crop?: Value; rotate?: Value }
  const walk = (ref: Value, inh: Inherited, depth: number) => {
    if (ref.t !== 'ref') fail('page tree node is not a reference');
    const r = ref as Extract<Value, { t: 'ref' }>;
    if (depth > MAX_TREE_DEPTH || visited.has(r.num)) fail('page tree loops');
    visited.add(r.num);
    const o = object(r.num, r.gen);
    if (o.value.t !== 'dict' || o.stream) fail('page tree node is not a dictionary');
    const d = o.value as Dict;
    const here: Inherited = {
      resources: d.entries.get('Resources') ?? inh.resources,
      media: d.entries.get('MediaBox') ?? inh.media,
      crop: d.entries.get('CropBox') ?? inh.crop,
      rotate: d.entries.get('Rotate') ?? inh.rotate,
    };
    const type = d.entries.get('Type');
    const kids = d.entries.get('Kids');
    if (type?.t === 'name' && type.v === 'Pages') {
      const list = kids && deref(kids);
      if (list?.t !== 'arr') fail('page tree node without /Kids');
      for (const k of (list as Extract<Value, { t: 'arr' }>).items) walk(k, here, depth + 1);
      return;
    }
    if (type?.t !== 'name' || type.v !== 'Page') fail('page tree node of unknown type');
    pages.push(page(r.num, r.gen, d, here));
  };

  const box = (v: Value | undefined, what: string): Box => {
    const a = v && deref(v);
    if (a?.t !== 'arr' || a.items.length !== 4) return fail(`bad ${what}`);
    const [x0, y0, x1, y1] = a.items.map(resolveNum);
    return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  };

  function page(num: number, gen: number, d: Dict, inh: Inherited): PageFacts {
    const media = box(inh.media, 'MediaBox');
    const crop = inh.crop ? box(inh.crop, 'CropBox') : media;
    const rotate = inh.rotate ? resolveNum(inh.rotate) : 0;
    const frame = visualFrame(visibleBox(media, crop), rotate);
    const resources = inh.resources ? dictOf(inh.resources, 'Resources') : undefined;
    const xobj = resources?.entries.get('XObject');
    const xobjDict = xobj ? dictOf(xobj, 'XObject resources') : undefined;
    const contents: string[] = [];
    const c = d.entries.get('Contents');
    if (c) {
      const target = c.t === 'ref' ? object(c.num, c.gen) : undefined;
      const items = c.t === 'arr' ? c.items : target && !target.stream && target.value.t === 'arr' ? target.value.items : [c];
      for (const it of items) {
        // A content reference that is missing would be an empty page we could not tell from a damaged one.
        if (it.t !== 'ref' || !object(it.num, it.gen).stream) fail('page content is not a stream reference');
        contents.push(rawOf(b, it));
      }
    }
    return {
      num, gen,
      entries: entriesOf(d, PAGE_REWRITTEN),
      contents,
      resources: resources ? entriesOf(resources, new Set(['XObject'])) : [],
      xobjects: xobjDict ? entriesOf(xobjDict) : [],
      frame: { width: frame.width, height: frame.height, matrix: frame.matrix },
    };
  }

  const pagesRoot = catalog.entries.get('Pages');
  if (!pagesRoot) fail('catalog without /Pages');
  walk(pagesRoot!, {}, 0);
  if (pages.length === 0) fail('no pages');
  const live = new Set(objects.map((o) => o[0]));
  for (const p of pages) if (!live.has(p.num)) fail('page object is not copied');
  if (!live.has(root.num)) fail('catalog is not copied');

  return {
    v: 2, sha256, size: b.length, pdfVersion: head![1], objects, maxObj,
    root: { num: root.num, gen: root.gen, entries: entriesOf(catalog, new Set(['Metadata'])) },
    info, id0, ...planMarks(pages, maxObj),
  };
}

