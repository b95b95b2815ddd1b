import { describe, expect, it } from 'vitest';
import { cleanDisplayName, mediaTypeFor } from '../../lib/documents/filename';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('cleanDisplayName', () => {
  it('drops path segments, POSIX and Windows alike', () => {
    expect(cleanDisplayName('../../etc/passwd')).toBe('passwd');
    expect(cleanDisplayName('/var/www/report.pdf')).toBe('report.pdf');
    expect(cleanDisplayName('C:\\x\\y.pdf')).toBe('y.pdf');
    expect(cleanDisplayName('..\\..\\windows\\system32\\evil.dll')).toBe('evil.dll');
    expect(cleanDisplayName('a/b\\c/d.txt')).toBe('d.txt');
  });

  it('removes control characters and bidi overrides', () => {
    expect(cleanDisplayName('re\u0000po\u0007rt\u001b.pdf')).toBe('report.pdf');
    expect(cleanDisplayName('line1\nline2\r.txt')).toBe('line1line2.txt');
    expect(cleanDisplayName('del\u007f\u0085.txt')).toBe('del.txt');
    // "invoice<RLO>fdp.exe" displays as "invoiceexe.pdf" in a bidi-aware UI.
    expect(cleanDisplayName('invoice\u202efdp.exe')).toBe('invoicefdp.exe');
    expect(cleanDisplayName('\u2066a\u2069\u200e\u200fb\u202a\u202c.pdf')).toBe('ab.pdf');
  });

  it('folds whitespace and trims', () => {
    expect(cleanDisplayName('  quarterly \t  report   .pdf  ')).toBe('quarterly report .pdf');
  });

  it('falls back to "untitled" for empty or dot-only names', () => {
    for (const raw of ['', '   ', null, undefined, '.', '..', '...', '/', '../', 'dir/', '\u0000\u0001', '\u202e']) {
      expect(cleanDisplayName(raw), JSON.stringify(raw)).toBe('untitled');
    }
    expect(cleanDisplayName('', 'fallback.bin')).toBe('fallback.bin');
  });

  it('keeps ordinary Unicode names intact', () => {
    expect(cleanDisplayName('Prüfbericht – Q3 (final).pdf')).toBe('Prüfbericht – Q3 (final).pdf');
    expect(cleanDisplayName('報告書.docx')).toBe('報告書.docx');
    expect(cleanDisplayName('.hidden')).toBe('.hidden');
  });

  it('caps the length at 200 characters without splitting a character', () => {
    expect(cleanDisplayName('x'.repeat(1000) + '.pdf')).toHaveLength(200);
    const emoji = cleanDisplayName('a'.repeat(199) + '😀😀');
    expect(Array.from(emoji).length).toBeLessThanOrEqual(200);
    expect(emoji).not.toMatch(LONE_SURROGATE);
    expect(emoji.endsWith('a') || emoji.endsWith('😀')).toBe(true);
  });
});

describe('mediaTypeFor', () => {
  const pdfHead = Buffer.from('%PDF-1.7\n%\xe2\xe3', 'latin1');
  it('recognises PDF by its magic bytes whatever was declared', () => {
    expect(mediaTypeFor('text/plain', pdfHead)).toBe('application/pdf');
    expect(mediaTypeFor(null, pdfHead)).toBe('application/pdf');
    expect(mediaTypeFor('application/octet-stream', pdfHead)).toBe('application/pdf');
  });

  it('keeps a well-formed declared type, lower-cased, without parameters', () => {
    expect(mediaTypeFor('Text/Plain; charset=UTF-8', Buffer.from('hello'))).toBe('text/plain');
    expect(mediaTypeFor('application/vnd.openxmlformats-officedocument.wordprocessingml.document', Buffer.from('PK\u0003\u0004')))
      .toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(mediaTypeFor('image/svg+xml', Buffer.from('<svg'))).toBe('image/svg+xml');
  });

  it('falls back to application/octet-stream for missing or malformed types', () => {
    for (const d of [null, undefined, '', 'pdf', 'text/', '/plain', 'text/plain/extra', 'text/pl ain', 'x'.repeat(300) + '/y', 'text/<script>']) {
      expect(mediaTypeFor(d, Buffer.from('data')), String(d)).toBe('application/octet-stream');
    }
  });

  it('does not take a PDF for one when the magic is absent or short', () => {
    expect(mediaTypeFor(null, Buffer.from('%PD'))).toBe('application/octet-stream');
    expect(mediaTypeFor(null, Buffer.alloc(0))).toBe('application/octet-stream');
    expect(mediaTypeFor(null, Buffer.from(' %PDF-1.4'))).toBe('application/octet-stream');
  });
});
