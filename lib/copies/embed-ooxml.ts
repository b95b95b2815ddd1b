import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { formatCopyCode, METADATA_PREFIX } from './code';
import { MalformedZip, rewriteZip, zipDirectory, zipEntryData, type ZipEntry } from './zip-entries';

/**
 * Copy codes in Office Open XML files (docx, xlsx, pptx and their macro-enabled and template kinds):
 * a custom document property `LiaisonCopy` (docProps/custom.xml, which Word, Excel and PowerPoint show
 * under File > Properties > Custom) and `liaison-copy:<code>` in the core properties' keywords. Only
 * these package parts change; every other part of the zip is copied as it is (lib/copies/zip-entries.ts).
 */

/** The largest Office file rewritten: it is held in memory whole, with its copy. */
export const MAX_OOXML_BYTES = 50 * 1024 * 1024;
// The package parts read (relationships, content types, properties) are small; beyond this a part is a zip bomb.
const MAX_PART_BYTES = 8 * 1024 * 1024;

export const COPY_PROPERTY = 'LiaisonCopy';

const REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CT_NS = 'http://schemas.openxmlformats.org/package/2006/content-types';
const OFFICE_DOCUMENT_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument';
const CUSTOM_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties';
const CORE_REL = 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties';
const CUSTOM_CT = 'application/vnd.openxmlformats-officedocument.custom-properties+xml';
const CUSTOM_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/custom-properties';
const VT_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes';
const CORE_NS = 'http://schemas.openxmlformats.org/package/2006/metadata/core-properties';
// The format id Office gives user-defined custom properties.
const USER_DEFINED_FMTID = '{D5CDD505-2E9C-101B-9397-08002B2CF9AE}';

export type OfficeKind = 'docx' | 'xlsx' | 'pptx';

/** Why an Office file was released without the code (recorded in the download's audit event). */
export class NotOoxml extends Error {
  constructor(readonly reason: 'malformed_zip' | 'not_ooxml') { super(reason); }
}

export const isZip = (head: Buffer) => head.length >= 4 && head.readUInt32LE(0) === 0x04034b50;

function parseXml(bytes: Uint8Array): Document {
  let failed = false;
  const doc = new DOMParser({ errorHandler: { warning: () => undefined, error: () => { failed = true; }, fatalError: () => { failed = true; } } })
    .parseFromString(Buffer.from(bytes).toString('utf8'), 'application/xml');
  if (failed || !doc?.documentElement) throw new NotOoxml('not_ooxml');
  return doc;
}

const serialize = (doc: Document): Buffer => {
  const xml = new XMLSerializer().serializeToString(doc);
  return Buffer.from(xml.startsWith('<?xml') ? xml : `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n${xml}`, 'utf8');
};

const elements = (doc: Document | Element, ns: string, local: string): Element[] =>
  Array.from(doc.getElementsByTagNameNS(ns, local) as unknown as ArrayLike<Element>);

/** A package-root relationship target as a part name without its leading slash. */
const rootTarget = (target: string) => target.replace(/^\//, '');

interface Package { buf: Buffer; entries: ZipEntry[]; rels: Document; types: Document; kind: OfficeKind; read: (name: string) => Buffer | null }

/** The package, checked to be an OOXML (transitional) document; what kind, from its main part's content type. */
function openPackage(buf: Buffer): Package {
  let entries: ZipEntry[];
  try {
    entries = zipDirectory(buf);
  } catch (e) {
    if (e instanceof MalformedZip) throw new NotOoxml('malformed_zip');
    throw e;
  }
  const byName = new Map(entries.map((e) => [e.name, e]));
  const read = (name: string) => {
    const entry = byName.get(name);
    if (!entry) return null;
    try {
      return zipEntryData(buf, entry, MAX_PART_BYTES);
    } catch (e) {
      if (e instanceof MalformedZip) throw new NotOoxml('malformed_zip');
      throw e;
    }
  };
  const relsPart = read('_rels/.rels');
  const typesPart = read('[Content_Types].xml');
  if (!relsPart || !typesPart) throw new NotOoxml('not_ooxml');
  const rels = parseXml(relsPart);
  const types = parseXml(typesPart);
  const main = elements(rels, REL_NS, 'Relationship').find((r) => r.getAttribute('Type') === OFFICE_DOCUMENT_REL);
  if (!main) throw new NotOoxml('not_ooxml');
  const mainName = `/${rootTarget(main.getAttribute('Target') ?? '')}`;
  const override = elements(types, CT_NS, 'Override').find((o) => o.getAttribute('PartName')?.toLowerCase() === mainName.toLowerCase());
  const ct = override?.getAttribute('ContentType') ?? '';
  const kind: OfficeKind | null = /wordprocessingml|ms-word/.test(ct) ? 'docx' : /spreadsheetml|ms-excel/.test(ct) ? 'xlsx' : /presentationml|ms-powerpoint/.test(ct) ? 'pptx' : null;
  if (!kind) throw new NotOoxml('not_ooxml');
  return { buf, entries, rels, types, kind, read };
}

const relTarget = (rels: Document, type: string) => {
  const r = elements(rels, REL_NS, 'Relationship').find((x) => x.getAttribute('Type') === type);
  return r ? rootTarget(r.getAttribute('Target') ?? '') : null;
};

/** Removes earlier copy codes (a re-shared copy) from a keywords string and appends this one. */
function withKeyword(keywords: string, code: string): string {
  const kept = keywords.replace(new RegExp(`\\s*${METADATA_PREFIX}[0-9A-Za-z-]+`, 'g'), '').trim();
  return kept ? `${kept} ${METADATA_PREFIX}${formatCopyCode(code)}` : `${METADATA_PREFIX}${formatCopyCode(code)}`;
}

function customProperties(existing: Buffer | null, code: string): Buffer {
  const doc = existing
    ? parseXml(existing)
    : new DOMParser().parseFromString(`<Properties xmlns="${CUSTOM_NS}" xmlns:vt="${VT_NS}"/>`, 'application/xml');
  const root = doc.documentElement!;
  if (root.namespaceURI !== CUSTOM_NS || root.localName !== 'Properties') throw new NotOoxml('not_ooxml');
  let pid = 1;
  for (const p of elements(doc, CUSTOM_NS, 'property')) {
    if (p.getAttribute('name') === COPY_PROPERTY) root.removeChild(p);
    else pid = Math.max(pid, Number(p.getAttribute('pid')) || 1);
  }
  // pid 0 and 1 are reserved; user properties are numbered from 2.
  const prop = doc.createElementNS(CUSTOM_NS, 'property');
  prop.setAttribute('fmtid', USER_DEFINED_FMTID);
  prop.setAttribute('pid', String(pid + 1));
  prop.setAttribute('name', COPY_PROPERTY);
  const value = doc.createElementNS(VT_NS, 'vt:lpwstr');
  value.appendChild(doc.createTextNode(formatCopyCode(code)));
  prop.appendChild(value);
  root.appendChild(prop);
  return serialize(doc);
}

function coreWithKeyword(core: Buffer, code: string): Buffer {
  const doc = parseXml(core);
  let keywords = elements(doc, CORE_NS, 'keywords')[0];
  if (!keywords) {
    keywords = doc.createElementNS(CORE_NS, 'cp:keywords');
    doc.documentElement!.appendChild(keywords);
  }
  const text = withKeyword(keywords.textContent ?? '', code);
  while (keywords.firstChild) keywords.removeChild(keywords.firstChild);
  keywords.appendChild(doc.createTextNode(text));
  return serialize(doc);
}

function ensureRelationship(rels: Document, type: string, target: string): void {
  if (relTarget(rels, type) !== null) return;
  const ids = new Set(elements(rels, REL_NS, 'Relationship').map((r) => r.getAttribute('Id')));
  let id = 'rIdLiaisonCopy';
  for (let n = 2; ids.has(id); n++) id = `rIdLiaisonCopy${n}`;
  const r = rels.createElementNS(REL_NS, 'Relationship');
  r.setAttribute('Id', id);
  r.setAttribute('Type', type);
  r.setAttribute('Target', target);
  rels.documentElement!.appendChild(r);
}

function ensureOverride(types: Document, part: string, contentType: string): void {
  const name = `/${part}`;
  const found = elements(types, CT_NS, 'Override').find((o) => o.getAttribute('PartName')?.toLowerCase() === name.toLowerCase());
  if (found) { found.setAttribute('ContentType', contentType); return; }
  const o = types.createElementNS(CT_NS, 'Override');
  o.setAttribute('PartName', name);
  o.setAttribute('ContentType', contentType);
  types.documentElement!.appendChild(o);
}

/**
 * The Office file with the copy code in its properties. Throws NotOoxml (with the reason) when the
 * bytes are not a sound OOXML package; the caller then releases the original unchanged.
 */
export function ooxmlWithCopyCode(buf: Buffer, code: string): Buffer {
  const pkg = openPackage(buf);
  const customPart = relTarget(pkg.rels, CUSTOM_REL) ?? 'docProps/custom.xml';
  const corePart = relTarget(pkg.rels, CORE_REL);
  const changes = new Map<string, Buffer>();
  changes.set(customPart, customProperties(pkg.read(customPart), code));
  ensureRelationship(pkg.rels, CUSTOM_REL, customPart);
  ensureOverride(pkg.types, customPart, CUSTOM_CT);
  changes.set('_rels/.rels', serialize(pkg.rels));
  changes.set('[Content_Types].xml', serialize(pkg.types));
  const core = corePart ? pkg.read(corePart) : null;
  if (corePart && core) changes.set(corePart, coreWithKeyword(core, code));
  return rewriteZip(buf, pkg.entries, changes);
}

/**
 * What an Office file says about its copy, for tracing: the LiaisonCopy custom property (prefixed, as
 * the code finder expects) and the core keywords. Only the package's relationship, content-type and
 * properties parts are inflated.
 */
export function readOoxmlCodeText(buf: Buffer): { kind: OfficeKind; text: string } {
  const pkg = openPackage(buf);
  const texts: string[] = [];
  const customPart = relTarget(pkg.rels, CUSTOM_REL);
  const custom = customPart ? pkg.read(customPart) : null;
  if (custom) {
    for (const p of elements(parseXml(custom), CUSTOM_NS, 'property')) {
      if (p.getAttribute('name') === COPY_PROPERTY) texts.push(`${METADATA_PREFIX}${p.textContent ?? ''}`);
    }
  }
  const corePart = relTarget(pkg.rels, CORE_REL);
  const core = corePart ? pkg.read(corePart) : null;
  if (core) for (const k of elements(parseXml(core), CORE_NS, 'keywords')) texts.push(k.textContent ?? '');
  return { kind: pkg.kind, text: texts.join('\n') };
}
