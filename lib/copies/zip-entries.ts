import zlib from 'node:zlib';
import { unzipSync } from 'fflate';

/**
 * A zip archive read whole and checked, for rewriting its metadata parts. fflate reads the archive but
 * checks neither CRCs nor duplicate names, and trusts the sizes the directory declares; rewriting a
 * damaged archive would hand the recipient a "repaired" file with new, matching CRCs. So the central
 * directory is walked here (a few lines, no library exposes it) and every entry is checked against it.
 */
export class MalformedZip extends Error {}

export interface ZipEntry { data: Uint8Array; stored: boolean }

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;

interface DirEntry { name: string; crc: number; size: number; method: number }

function centralDirectory(buf: Buffer): DirEntry[] {
  let e = buf.length - 22;
  while (e >= 0 && buf.readUInt32LE(e) !== EOCD) {
    if (buf.length - e > 22 + 0xffff) throw new MalformedZip('no end of central directory');
    e--;
  }
  if (e < 0) throw new MalformedZip('no end of central directory');
  const count = buf.readUInt16LE(e + 10);
  let at = buf.readUInt32LE(e + 16);
  // Zip64 (over 65,535 entries or 4 GB) is far beyond the sizes rewritten here.
  if (count === 0xffff || at === 0xffffffff) throw new MalformedZip('zip64');
  const out: DirEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) throw new MalformedZip('bad central directory');
    const flags = buf.readUInt16LE(at + 8);
    const nameLength = buf.readUInt16LE(at + 28);
    if (at + 46 + nameLength > buf.length) throw new MalformedZip('bad central directory');
    const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
    if (flags & 0x1) throw new MalformedZip('encrypted entry');
    out.push({ name, method: buf.readUInt16LE(at + 10), crc: buf.readUInt32LE(at + 16), size: buf.readUInt32LE(at + 24) });
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return out;
}

/**
 * The entries of a zip, in archive order, each checked (size and CRC-32). `want` limits which are
 * inflated (the others are still listed by the directory). Throws MalformedZip when the archive is
 * damaged, ambiguous (two entries with one name) or would inflate beyond maxUnzipped bytes.
 */
export function readZip(buf: Buffer, maxUnzipped: number, want: (name: string) => boolean = () => true): Map<string, ZipEntry> {
  const dir = centralDirectory(buf);
  const names = new Set(dir.map((d) => d.name));
  if (names.size !== dir.length) throw new MalformedZip('duplicate entry names');
  let total = 0;
  for (const d of dir) if (want(d.name)) total += d.size;
  if (total > maxUnzipped) throw new MalformedZip('too large once unzipped');
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(buf, { filter: (f) => want(f.name) });
  } catch (e) {
    throw new MalformedZip(`unreadable: ${(e as Error).message}`);
  }
  const out = new Map<string, ZipEntry>();
  for (const d of dir) {
    if (!want(d.name)) continue;
    const data = files[d.name];
    if (!data || data.length !== d.size || (zlib.crc32(data) >>> 0) !== d.crc) throw new MalformedZip(`entry ${d.name} is damaged`);
    out.set(d.name, { data, stored: d.method === 0 });
  }
  return out;
}
