import zlib from 'node:zlib';

/**
 * PDFs written byte by byte, for the fast watermark path's parser: a page tree with inherited
 * attributes, a classic table or a cross-reference stream (Flate, PNG predictor 12, as qpdf and
 * Acrobat write them), and incremental updates appended to an existing file.
 */
export interface HandPdfOptions {
  pages: number;
  /** MediaBox and Resources on the /Pages node only, inherited by every page. */
  inherit?: boolean;
  /** Page indexes and their /Rotate. */
  rotate?: Record<number, number>;
  xrefStream?: boolean;
  info?: string;
}

const content = (i: number) => `BT /F1 24 Tf 72 700 Td (Hand page ${i + 1}) Tj ET`;

export function handPdf(o: HandPdfOptions): Buffer {
  const first = 4;
  const kids = Array.from({ length: o.pages }, (_, i) => `${first + 2 * i} 0 R`).join(' ');
  const res = '/Resources << /Font << /F1 3 0 R >> >>';
  const objs: string[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${o.pages}${o.inherit ? ` /MediaBox [0 0 612 792] ${res}` : ''} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  for (let i = 0; i < o.pages; i++) {
    const rot = o.rotate?.[i] !== undefined ? ` /Rotate ${o.rotate[i]}` : '';
    objs.push(`<< /Type /Page /Parent 2 0 R${o.inherit ? '' : ` /MediaBox [0 0 612 792] ${res}`}${rot} /Contents ${first + 2 * i + 1} 0 R >>`);
    const c = content(i);
    objs.push(`<< /Length ${c.length} >>\nstream\n${c}\nendstream`);
  }
  if (o.info) objs.push(`<< /Title (${o.info}) /Keywords (board pack) >>`);
  const infoRef = o.info ? ` /Info ${objs.length} 0 R` : '';
  let out = '%PDF-1.5\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objs.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  if (!o.xrefStream) {
    const xref = out.length;
    out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((x) => `${String(x).padStart(10, '0')} 00000 n \n`).join('')}`;
    out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R${infoRef} /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] >>\nstartxref\n${xref}\n%%EOF\n`;
    return Buffer.from(out, 'latin1');
  }
  const self = objs.length + 1;
  const at = out.length;
  const rows = [[0, 0, 0xffff], ...offsets.map((x) => [1, x, 0]), [1, at, 0]];
  const data = Buffer.alloc(rows.length * 8);
  // PNG "Up" predictor on rows of 1 + 4 + 2 bytes, as qpdf writes.
  let prev = Buffer.alloc(7);
  rows.forEach(([t, f2, f3], r) => {
    const row = Buffer.alloc(7);
    row[0] = t;
    row.writeUInt32BE(f2, 1);
    row.writeUInt16BE(f3, 5);
    data[r * 8] = 2;
    for (let i = 0; i < 7; i++) data[r * 8 + 1 + i] = (row[i] - prev[i]) & 0xff;
    prev = row;
  });
  const z = zlib.deflateSync(data);
  const head = `${self} 0 obj\n<< /Type /XRef /Size ${self + 1} /W [1 4 2] /Root 1 0 R${infoRef} /Filter /FlateDecode /DecodeParms << /Columns 7 /Predictor 12 >> /Length ${z.length} >>\nstream\n`;
  return Buffer.concat([Buffer.from(out + head, 'latin1'), z, Buffer.from(`\nendstream\nendobj\nstartxref\n${at}\n%%EOF\n`, 'latin1')]);
}

/** Appends a revision replacing (or adding) `objects`, with a classic section whose /Prev is the old one. */
export function appendRevision(pdf: Buffer, objects: Record<number, string>, size: number): Buffer {
  const prev = Number(/startxref\s+(\d+)\s*%%EOF\s*$/.exec(pdf.toString('latin1'))![1]);
  let out = '';
  const rows: string[] = [];
  for (const [num, body] of Object.entries(objects)) {
    rows.push(`${num} 1\n${String(pdf.length + out.length).padStart(10, '0')} 00000 n \n`);
    out += `${num} 0 obj\n${body}\nendobj\n`;
  }
  const xref = pdf.length + out.length;
  out += `xref\n0 1\n0000000000 65535 f \n${rows.join('')}trailer\n<< /Size ${size} /Root 1 0 R /Prev ${prev} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(out, 'latin1')]);
}
