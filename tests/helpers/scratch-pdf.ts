import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** Runs a command-line PDF tool (qpdf, pdftotext, pdftoppm), capturing its output as text. */
export const run = (cmd: string, ...args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });

/**
 * A scratch directory for one test file, removed after it, and a way to put bytes in a fresh file
 * there for the command-line tools. Call at the top level of the test file.
 */
export function scratchDir(prefix: string): { tmp: string; tmpFile: (bytes: Uint8Array) => string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const tmpFile = (bytes: Uint8Array) => {
    const f = path.join(tmp, `${crypto.randomBytes(6).toString('hex')}.pdf`);
    fs.writeFileSync(f, bytes);
    return f;
  };
  return { tmp, tmpFile };
}
