import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

export const S3_TEST_BUCKET = 'liaison-test';
// s3rver checks request signatures against its one built-in key pair.
export const S3RVER_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

export interface S3Server { endpoint: string; port: number; dir: string; child: ChildProcess; kill(): Promise<void>; stop(): Promise<void> }

/**
 * s3rver (an S3-compatible server) in a child process of its own on a random loopback port, with the
 * test bucket created: stopping it is a real outage, and its memory is not the test's.
 */
export async function startS3rver(): Promise<S3Server> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-s3rver-'));
  const bin = path.join(path.dirname(createRequire(import.meta.url).resolve('s3rver/package.json')), 'bin', 's3rver.js');
  const child = spawn(process.execPath, [bin, '-d', dir, '-a', '127.0.0.1', '-p', '0', '-s', '--configure-bucket', S3_TEST_BUCKET], { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`s3rver did not start: ${out}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on [^:]+:(\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`s3rver exited (${code}): ${out}`)); });
  });
  child.stdout!.resume();
  child.stderr!.resume();
  const server: S3Server = {
    endpoint: `http://127.0.0.1:${port}`, port, dir, child,
    /** An outage: the server dies at once (its files stay, for the test to inspect). */
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      await server.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/** LIAISON_S3_URL for a server (or a proxy in front of it). */
export const s3Url = (endpoint: string, opts: { prefix?: string; timeoutMs?: number } = {}) =>
  `s3://${S3_TEST_BUCKET}${opts.prefix ? `/${opts.prefix}` : ''}?region=us-east-1&endpoint=${encodeURIComponent(endpoint)}&forcePathStyle=true${opts.timeoutMs ? `&timeoutMs=${opts.timeoutMs}` : ''}`;

/** Every object key in the test bucket under `prefix` (s3rver keeps each object as a file plus metadata). */
export function objectKeys(server: S3Server, prefix = ''): string[] {
  const root = path.join(server.dir, S3_TEST_BUCKET);
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile() && e.name.endsWith('._S3rver_object'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).replace(/\._S3rver_object$/, '').split(path.sep).join('/'))
    .filter((k) => k.startsWith(prefix));
}

/** Multipart uploads s3rver still holds (started, neither completed nor aborted). */
export function pendingUploads(server: S3Server): string[] {
  const dir = path.join(server.dir, S3_TEST_BUCKET, '._S3rver_uploads');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}
