/**
 * Multipart upload with progress. fetch() cannot report upload progress, XMLHttpRequest can.
 * Same-origin, so the browser sends the session cookie and an Origin header the server checks.
 */
export interface UploadResult { id: string; versionId: string; sha256: string }

export class UploadError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) { super(message); }
}

export interface UploadHandle { promise: Promise<UploadResult>; abort: () => void }

export function startUpload(url: string, fields: { file: File; title?: string; tlp: string }, onProgress: (sent: number, total: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<UploadResult>((resolve, reject) => {
    const form = new FormData();
    // Text fields first: the server can validate them before the file has streamed in.
    if (fields.title) form.append('title', fields.title);
    form.append('tlp', fields.tlp);
    form.append('file', fields.file, fields.file.name);

    xhr.open('POST', url);
    xhr.responseType = 'text';
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : fields.file.size);
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try { body = JSON.parse(xhr.responseText || '{}'); } catch { /* not JSON: handled below */ }
      if (xhr.status === 201 || xhr.status === 200) {
        if (typeof body.id === 'string') return resolve(body as unknown as UploadResult);
        return reject(new UploadError(xhr.status, 'internal', 'The server accepted the file but sent an unexpected answer.'));
      }
      const code = typeof body.error === 'string' ? body.error : `http_${xhr.status}`;
      const message = typeof body.error_description === 'string' ? body.error_description : `The server answered ${xhr.status}.`;
      reject(new UploadError(xhr.status, code, message));
    };
    xhr.onerror = () => reject(new UploadError(0, 'network', 'The connection was interrupted before the upload finished.'));
    xhr.onabort = () => reject(new UploadError(0, 'aborted', 'Upload cancelled.'));
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
