import zlib from 'node:zlib';
import { formatCopyCode, METADATA_PREFIX } from './code';

/** What metadata says about a copy: the prefixed code, as keywords and as a description. */
export const metadataKeyword = (code: string): string => `${METADATA_PREFIX}${formatCopyCode(code)}`;

/** An XMP packet naming the copy (pdf:Keywords and dc:description), readable by exiftool, sharp and Adobe tools. */
export function copyXmp(code: string): string {
  const k = metadataKeyword(code);
  return '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    + '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    + '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    + `<pdf:Keywords>${k}</pdf:Keywords>`
    + `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Liaison copy ${formatCopyCode(code)}</rdf:li></rdf:Alt></dc:description>`
    + '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="r"?>';
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** The PNG chunks naming the copy: an iTXt chunk holding the XMP packet (the key Adobe and libvips read XMP from) and a tEXt "Comment". */
export function pngCodeChunks(code: string): Buffer {
  // iTXt: keyword NUL, compression flag 0, method 0, empty language NUL, empty translated keyword NUL, text.
  const itxt = Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\0\0\0\0', 'latin1'), Buffer.from(copyXmp(code), 'utf8')]);
  const text = Buffer.from(`Comment\0${metadataKeyword(code)}`, 'latin1');
  return Buffer.concat([pngChunk('iTXt', itxt), pngChunk('tEXt', text)]);
}

/**
 * The PNG with the copy code in its metadata (pngCodeChunks), inserted after IHDR without re-encoding
 * the pixels, so a cached, unmarked page image costs a copy of its bytes, not a new compression.
 */
export function pngWithCopyCode(png: Buffer, code: string): Buffer {
  if (png.length < 33 || !png.subarray(0, 8).equals(PNG_SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('page image is not a PNG');
  }
  const ihdrEnd = 8 + 8 + png.readUInt32BE(8) + 4;
  return Buffer.concat([png.subarray(0, ihdrEnd), pngCodeChunks(code), png.subarray(ihdrEnd)]);
}
