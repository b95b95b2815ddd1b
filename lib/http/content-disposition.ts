/**
 * `attachment` or `inline` with an RFC 6266 / RFC 5987 `filename*` for the real (UTF-8) name and a plain ASCII
 * `filename` for old clients. Quotes, backslashes, percent signs and control characters never reach
 * the quoted fallback, so a crafted file name cannot break out of the header parameter.
 */
export function contentDisposition(kind: 'attachment' | 'inline', fileName: string | null | undefined, fallback = 'download'): string {
  const name = (fileName ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim() || fallback;
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%;]/g, '_')
    .trim() || fallback;
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export const attachmentDisposition = (fileName: string | null | undefined, fallback = 'download') => contentDisposition('attachment', fileName, fallback);
