import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import sharp from 'sharp';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { embedCopyCode } from '../../lib/copies/embed';
import { jpegSegments, JPEG_XMP_NS } from '../../lib/copies/embed-image';
import { readCodesFromFile } from '../../lib/copies/read-file';
import { zipDirectory } from '../../lib/copies/zip-entries';
import { newCopyCode } from '../../lib/copies/code';

/** The bytes as a stream cut into small pieces, as a decrypting blob stream would deliver them. */
const pieces = (b: Buffer, size: number) => () => Readable.from((function* () { for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size); })());

const copyOf = async (r: Awaited<ReturnType<typeof embedCopyCode>>) => (Buffer.isBuffer(r.body) ? r.body : buffer(r.body));

function office(main: string, contentType: string, extra: Record<string, Uint8Array> = {}) {
  return Buffer.from(zipSync({
    '[Content_Types].xml': strToU8(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/${main}" ContentType="${contentType}"/></Types>`),
    '_rels/.rels': strToU8(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/${main}"/></Relationships>`),
    [main]: strToU8('<x/>'),
    ...extra,
  }));
}

describe('embedCopyCode', () => {
  it('JPEG: after the JFIF and Exif segments, before the file\'s own XMP, which is kept; both read back', async () => {
    const own = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Firm</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>';
    const original = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#123456' } })
      .withMetadata({ exif: { IFD0: { Copyright: 'Firm' } } }).withXmp(own).jpeg().toBuffer();
    const code = newCopyCode();
    const r = await embedCopyCode({ bytes: original }, code);
    const copy = await copyOf(r);
    const markers = jpegSegments(copy)!.segments.map((s) => (s.marker === 0xe1 ? `APP1:${s.data.toString('latin1', 0, 4)}` : s.marker === 0xfe ? 'COM' : s.marker.toString(16)));
    const firstXmp = markers.indexOf('APP1:http');
    expect(markers.slice(0, firstXmp)).toEqual(expect.arrayContaining(['APP1:Exif']));
    expect(markers.slice(firstXmp, firstXmp + 2)).toEqual(['APP1:http', 'COM']);
    const xmps = jpegSegments(copy)!.segments.filter((s) => s.marker === 0xe1 && s.data.toString('latin1', 0, JPEG_XMP_NS.length) === JPEG_XMP_NS);
    expect(xmps).toHaveLength(2);
    expect(xmps[1].data.toString('utf8')).toContain('<dc:creator>Firm</dc:creator>');
    expect((await readCodesFromFile(copy)).found).toEqual([{ code, source: 'image_metadata' }]);
  });

  it('streams give the same copy as whole files, however the bytes are cut (JPEG, PNG, WebP)', async () => {
    const img = sharp({ create: { width: 50, height: 40, channels: 3, background: '#abcdef' } });
    for (const original of [await img.clone().jpeg().toBuffer(), await img.clone().png().toBuffer(), await img.clone().webp().toBuffer()]) {
      const code = newCopyCode();
      const whole = await embedCopyCode({ bytes: original }, code);
      for (const cut of [1, 7, 4096]) {
        const streamed = await embedCopyCode({ open: pieces(original, cut), size: original.length }, code);
        expect(Buffer.isBuffer(streamed.body)).toBe(false);
        const copy = await copyOf(streamed);
        expect(copy.equals(whole.body as Buffer)).toBe(true);
        expect([streamed.size, streamed.sha256, streamed.embedded]).toEqual([copy.length, whole.sha256, whole.embedded]);
      }
    }
  });

  it('Office files: Excel and PowerPoint by their main part; foreign, ambiguous and oversized zips are released as stored', async () => {
    const xlsx = office('xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml');
    const pptx = office('ppt/presentation.xml', 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml');
    for (const [file, kind] of [[xlsx, 'xlsx'], [pptx, 'pptx']] as const) {
      const code = newCopyCode();
      const r = await embedCopyCode({ bytes: file }, code);
      expect(r.embedded).toBe('office_properties');
      const copy = await copyOf(r);
      expect(await readCodesFromFile(copy)).toEqual({ fileType: kind, found: [{ code, source: 'office_metadata' }] });
      // The document's own parts are copied as they were stored: header, compressed bytes and CRC.
      const raw = (zip: Buffer) => {
        const e = zipDirectory(zip).find((x) => x.name.endsWith('.xml') && !x.name.startsWith('['))!;
        return zip.subarray(e.localStart, e.localEnd);
      };
      expect(raw(copy).equals(raw(file))).toBe(true);
    }
    const plainZip = Buffer.from(zipSync({ 'notes.txt': strToU8('hello') }));
    expect(await embedCopyCode({ bytes: plainZip }, newCopyCode())).toMatchObject({ embedded: null, notEmbedded: 'not_ooxml', body: plainZip });
    await expect(readCodesFromFile(plainZip)).rejects.toMatchObject({ code: 'unsupported_media_type' });

    // Two entries with one name: which one a reader takes is up to the reader. Refused as damaged.
    const dup = office('xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml', { 'xl/workbooc.xml': strToU8('<y/>') });
    dup.write('xl/workbook.xml', dup.indexOf('xl/workbooc.xml', dup.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))), 'latin1');
    const r = await embedCopyCode({ bytes: dup }, newCopyCode());
    expect([r.embedded, r.notEmbedded]).toEqual([null, 'malformed_zip']);

    // A package part that claims to inflate to 300 MB is not inflated.
    const bomb = Buffer.from(xlsx);
    const rels = bomb.indexOf('_rels/.rels', bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))) - 46;
    bomb.writeUInt32LE(300 * 1024 * 1024, rels + 24);
    expect((await embedCopyCode({ bytes: bomb }, newCopyCode())).notEmbedded).toBe('malformed_zip');
  });

  it('a large non-image file streams through untouched', async () => {
    const data = Buffer.alloc(300_000, 'a');
    const r = await embedCopyCode({ open: pieces(data, 65536), size: data.length }, newCopyCode());
    expect([r.embedded, r.notEmbedded, r.sha256, r.size]).toEqual([null, 'unsupported_type', null, data.length]);
    expect((await copyOf(r)).equals(data)).toBe(true);
  });
});
