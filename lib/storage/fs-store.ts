import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkName } from './object-name';
import type { BlobStore } from './store';

/** Files under the data directory, written to a temporary name and renamed into place when complete. */
export class FilesystemStore implements BlobStore {
  readonly kind = 'filesystem' as const;
  constructor(private readonly root: string) {}

  private pathOf(name: string) { return path.join(this.root, checkName(name)); }

  async put(name: string, body: Readable): Promise<void> {
    const final = this.pathOf(name);
    const tmp = `${final}.${crypto.randomBytes(4).toString('hex')}.part`;
    fs.mkdirSync(path.dirname(final), { recursive: true, mode: 0o700 });
    const out = fs.createWriteStream(tmp, { mode: 0o600 });
    try {
      await pipeline(body, out);
      fs.renameSync(tmp, final);
    } catch (e) {
      // The file is opened asynchronously: an early failure must wait for it, or the removal runs
      // first and the open then leaves an orphaned .part file behind.
      if (!out.closed) await new Promise<void>((r) => out.once('close', () => r()));
      fs.rmSync(tmp, { force: true });
      throw e;
    }
  }

  async putBuffer(name: string, data: Buffer): Promise<void> {
    const final = this.pathOf(name);
    fs.mkdirSync(path.dirname(final), { recursive: true, mode: 0o700 });
    const tmp = `${final}.${crypto.randomBytes(4).toString('hex')}.part`;
    await fs.promises.writeFile(tmp, data, { mode: 0o600 });
    await fs.promises.rename(tmp, final); // readers never see half a file
  }

  async get(name: string): Promise<Readable> {
    const handle = await fs.promises.open(this.pathOf(name), 'r');
    return handle.createReadStream();
  }

  async getBuffer(name: string): Promise<Buffer | null> {
    try {
      return await fs.promises.readFile(this.pathOf(name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async exists(name: string) { return fs.existsSync(this.pathOf(name)); }

  async delete(name: string) { await fs.promises.rm(this.pathOf(name), { force: true }); }

  async deleteAll(prefix: string) { await fs.promises.rm(this.pathOf(prefix), { recursive: true, force: true }); }

  async *list(prefix: string): AsyncIterable<string> {
    const base = this.pathOf(prefix);
    if (!fs.existsSync(base)) return;
    for (const entry of await fs.promises.readdir(base, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || entry.name.endsWith('.part')) continue;
      yield path.relative(this.root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    }
  }
}
