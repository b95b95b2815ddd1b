import zlib from 'node:zlib';

/**
 * A zip archive's few metadata entries read, replaced or added, every other entry copied as it is
 * (compressed bytes, timestamps, attributes, CRC). Written here, over Node's zlib, because fflate (the
 * zip library the project has) only rewrites an archive by inflating and deflating every entry again:
 * measured at 8-10 s of CPU for a 50 MB Word file with 33 MB of text, on a server with two cores. It also
 * checks no CRC, so a damaged entry would leave "repaired", with a new matching CRC. Here the entries that
 * are read are checked (size and CRC-32), and the others keep their own CRCs: a damaged part stays
 * detectably damaged.
 */
export class MalformedZip extends Error {}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const EOCD = 0x06054b50;
const DESCRIPTOR = 0x08074b50;
const UTF8_NAMES = 0x800;

export interface ZipEntry {
  name: string; flags: number; method: number; crc: number; compressedSize: number; size: number; localOffset: number;
  /** The entry's central directory record, copied for an entry that is kept. */
  central: Buffer;
  /** Where the entry's local header, data and data descriptor lie in the archive. */
  localStart: number; dataStart: number; localEnd: number;
}

/** The entries of the archive, in directory order, each checked to lie where the directory says. */
export function zipDirectory(buf: Buffer): ZipEntry[] {
  let e = buf.length - 22;
  while (e >= 0 && buf.readUInt32LE(e) !== EOCD) {
    if (buf.length - e > 22 + 0xffff) throw new MalformedZip('no end of central directory');
    e--;
  }
  if (e < 0) throw new MalformedZip('no end of central directory');
  const count = buf.readUInt16LE(e + 10);
  let at = buf.readUInt32LE(e + 16);
  // Zip64 (over 65,535 entries or 4 GB) is far beyond the sizes rewritten here; split archives are not Office files.
  if (count === 0xffff || at === 0xffffffff) throw new MalformedZip('zip64');
  if (buf.readUInt16LE(e + 4) !== 0 || buf.readUInt16LE(e + 6) !== 0) throw new MalformedZip('split archive');
  const out: ZipEntry[] = [];
  const names = new Set<string>();
  for (let i = 0; i < count; i++) {
    if (at + 46 > e || buf.readUInt32LE(at) !== CENTRAL) throw new MalformedZip('bad central directory');
    const flags = buf.readUInt16LE(at + 8);
    const nameLength = buf.readUInt16LE(at + 28);
    const recordEnd = at + 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    if (recordEnd > e) throw new MalformedZip('bad central directory');
    const name = buf.toString(flags & UTF8_NAMES ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
    // Two entries with one name: which one a reader takes is up to the reader.
    if (names.has(name)) throw new MalformedZip('duplicate entry names');
    names.add(name);
    if (flags & 0x1) throw new MalformedZip('encrypted entry');
    const entry = {
      name, flags, method: buf.readUInt16LE(at + 10), crc: buf.readUInt32LE(at + 16), compressedSize: buf.readUInt32LE(at + 20),
      size: buf.readUInt32LE(at + 24), localOffset: buf.readUInt32LE(at + 42), central: buf.subarray(at, recordEnd),
    };
    const l = entry.localOffset;
    if (l + 30 > buf.length || buf.readUInt32LE(l) !== LOCAL) throw new MalformedZip(`entry ${name}: no local header`);
    const dataStart = l + 30 + buf.readUInt16LE(l + 26) + buf.readUInt16LE(l + 28);
    let localEnd = dataStart + entry.compressedSize;
    if (flags & 0x8) localEnd += localEnd + 4 <= buf.length && buf.readUInt32LE(localEnd) === DESCRIPTOR ? 16 : 12;
    if (localEnd > buf.length) throw new MalformedZip(`entry ${name}: data beyond the archive`);
    out.push({ ...entry, localStart: l, dataStart, localEnd });
    at = recordEnd;
  }
  return out;
}

/** An entry's bytes, inflated and checked against its size and CRC-32; at most maxBytes (a zip bomb stops there). */
export function zipEntryData(buf: Buffer, entry: ZipEntry, maxBytes: number): Buffer {
  if (entry.size > maxBytes) throw new MalformedZip(`entry ${entry.name} is too large`);
  const raw = buf.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  let data: Buffer;
  if (entry.method === 0) data = raw;
  else if (entry.method === 8) {
    try {
      data = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(entry.size, 1) });
    } catch (e) {
      throw new MalformedZip(`entry ${entry.name}: ${(e as Error).message}`);
    }
  } else throw new MalformedZip(`entry ${entry.name}: compression method ${entry.method}`);
  if (data.length !== entry.size || (zlib.crc32(data) >>> 0) !== entry.crc) throw new MalformedZip(`entry ${entry.name} is damaged`);
  return data;
}

function dosTime(d: Date): { time: number; date: number } {
  return { time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1), date: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate() };
}

/**
 * The archive with `changes` applied: an existing entry of that name is replaced where it stood (its
 * timestamp kept), a new one is added at the end. Every other entry is copied byte for byte.
 */
export function rewriteZip(buf: Buffer, entries: ZipEntry[], changes: Map<string, Buffer>): Buffer {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const pending = new Map(changes);
  const add = (local: Buffer[], central: Buffer) => {
    central.writeUInt32LE(offset, 42);
    for (const p of local) { parts.push(p); offset += p.length; }
    centrals.push(central);
  };
  const fresh = (name: string, data: Buffer, stamp: { time: number; date: number }) => {
    const packed = zlib.deflateRawSync(data, { level: 6 });
    const nameBytes = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    const central = Buffer.alloc(46);
    local.writeUInt32LE(LOCAL, 0);
    central.writeUInt32LE(CENTRAL, 0);
    central.writeUInt16LE(20, 4);
    for (const [h, o] of [[local, 4], [central, 6]] as const) {
      h.writeUInt16LE(20, o);
      h.writeUInt16LE(/^[\x20-\x7e]*$/.test(name) ? 0 : UTF8_NAMES, o + 2);
      h.writeUInt16LE(8, o + 4);
      h.writeUInt16LE(stamp.time, o + 6);
      h.writeUInt16LE(stamp.date, o + 8);
      h.writeUInt32LE(zlib.crc32(data) >>> 0, o + 10);
      h.writeUInt32LE(packed.length, o + 14);
      h.writeUInt32LE(data.length, o + 18);
      h.writeUInt16LE(nameBytes.length, o + 22);
    }
    add([local, nameBytes, packed], Buffer.concat([central, nameBytes]));
  };
  for (const e of entries) {
    const changed = pending.get(e.name);
    if (changed) {
      pending.delete(e.name);
      fresh(e.name, changed, { time: e.central.readUInt16LE(12), date: e.central.readUInt16LE(14) });
    } else {
      add([buf.subarray(e.localStart, e.localEnd)], Buffer.from(e.central));
    }
  }
  if (entries.length + pending.size > 0xfffe) throw new MalformedZip('too many entries');
  for (const [name, data] of pending) fresh(name, data, dosTime(new Date()));
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(centrals.length, 8);
  end.writeUInt16LE(centrals.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}
