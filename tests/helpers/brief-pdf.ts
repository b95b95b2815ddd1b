import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

const PARAGRAPHS = [
  'This briefing summarises the disclosure obligations arising from the order of 14 October and sets out the categories of documents that remain in dispute between the parties.',
  'Counsel are asked to review the schedule at Annex B, confirm the privilege designations marked in amber, and return any objections before the case management conference.',
  'The material in this bundle is provided solely for the purpose of the proceedings. It must not be copied, forwarded or used for any other purpose without the written consent of the disclosing party.',
  'Where a document has been redacted, the redaction is recorded in the log together with the ground relied upon. Requests to review unredacted copies should be made through the liaison officer.',
];

/** Words wrapped to fit `width` points at `size` in `font`. */
function wrap(text: string, width: number, size: number, font: { widthOfTextAtSize(t: string, s: number): number }): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > width && line) { lines.push(line); line = word; } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * A realistic multi-page briefing (headings, body text, a small table, page numbers), so viewer
 * screenshots show what a guest would actually read.
 */
export async function briefPdf(pages = 6, title = 'Harlow v Meridian — Disclosure briefing'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const body = await doc.embedFont(StandardFonts.TimesRoman);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const sans = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    const page = doc.addPage([595.28, 841.89]);
    const { width, height } = page.getSize();
    const left = 72;
    let y = height - 80;
    page.drawText('CONFIDENTIAL — LEGALLY PRIVILEGED', { x: left, y: height - 44, size: 8, font: sans, color: rgb(0.55, 0.1, 0.1) });
    if (n === 1) {
      page.drawText(title.replace('—', '-'), { x: left, y, size: 20, font: bold, color: rgb(0.1, 0.12, 0.2) });
      y -= 26;
      page.drawText('Prepared for external counsel · 1 December 2026', { x: left, y, size: 10, font: sans, color: rgb(0.35, 0.35, 0.4) });
      y -= 36;
    }
    page.drawText(`${n}. ${['Background', 'Scope of disclosure', 'Documents in dispute', 'Privilege', 'Timetable', 'Next steps'][(n - 1) % 6]}`, { x: left, y, size: 14, font: bold, color: rgb(0.1, 0.12, 0.2) });
    y -= 24;
    for (let k = 0; k < 3; k++) {
      for (const line of wrap(PARAGRAPHS[(n + k) % PARAGRAPHS.length], width - 2 * left, 11.5, body)) {
        page.drawText(line, { x: left, y, size: 11.5, font: body, color: rgb(0.1, 0.1, 0.12) });
        y -= 16;
      }
      y -= 10;
    }
    // A small schedule table.
    const rows = [['Ref', 'Description', 'Status'], ['B-101', 'Board minutes, March', 'Disclosed'], ['B-102', 'Email chain, J. Okafor', 'Privileged'], ['B-103', 'Valuation report (draft)', 'In dispute']];
    y -= 6;
    for (const [i, row] of rows.entries()) {
      if (i === 0) page.drawRectangle({ x: left, y: y - 5, width: width - 2 * left, height: 18, color: rgb(0.92, 0.93, 0.96) });
      [0, 70, 330].forEach((dx, c) => page.drawText(row[c], { x: left + 6 + dx, y, size: 10, font: i === 0 ? bold : sans, color: rgb(0.15, 0.15, 0.2) }));
      page.drawLine({ start: { x: left, y: y - 6 }, end: { x: width - left, y: y - 6 }, thickness: 0.5, color: rgb(0.8, 0.8, 0.85) });
      y -= 20;
    }
    page.drawText(`Page ${n} of ${pages}`, { x: width / 2 - 24, y: 40, size: 9, font: sans, color: rgb(0.4, 0.4, 0.45) });
  }
  return Buffer.from(await doc.save());
}
