import type { ServerResponse } from 'node:http';

/** Set by a route that knows its body's exact size; turned back into Content-Length on the way out. */
export const CONTENT_LENGTH_HEADER = 'x-liaison-content-length';

/**
 * Next 16 drops Content-Length from every route handler response (send-response.ts) and streams it
 * chunked, so browsers cannot show a download's size or progress. This restores the length a route
 * declared through CONTENT_LENGTH_HEADER, unless the body is being compressed on the way out.
 * Call it on each response before Next handles the request.
 */
export function restoreContentLength(res: ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function patchedWriteHead(this: ServerResponse, ...args: unknown[]) {
    const declared = this.getHeader(CONTENT_LENGTH_HEADER);
    if (declared !== undefined) {
      this.removeHeader(CONTENT_LENGTH_HEADER);
      const v = String(declared);
      if (/^\d{1,15}$/.test(v) && !this.hasHeader('content-encoding') && !this.hasHeader('transfer-encoding')) {
        this.setHeader('content-length', v);
      }
    }
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof res.writeHead;
}
