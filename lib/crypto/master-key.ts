import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../config';

const g = globalThis as unknown as { __liaisonMasterKey?: Buffer };

function parseKey(raw: string): Buffer {
  const s = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(s) ? Buffer.from(s, 'hex') : Buffer.from(s, 'base64');
  if (key.length !== 32) throw new Error('LIAISON_MASTER_KEY must be 32 bytes, as 64 hex characters or base64');
  return key;
}

/**
 * The 256-bit master key: LIAISON_MASTER_KEY, or `<data dir>/master.key`, created with mode 0600 on
 * first use. Losing it makes every stored file unreadable, hence the backup note in the README.
 */
export function masterKey(): Buffer {
  if (g.__liaisonMasterKey) return g.__liaisonMasterKey;
  const cfg = config();
  let key: Buffer;
  if (cfg.LIAISON_MASTER_KEY) key = parseKey(cfg.LIAISON_MASTER_KEY);
  else {
    const file = path.join(cfg.dataDir, 'master.key');
    if (!fs.existsSync(file)) {
      fs.mkdirSync(cfg.dataDir, { recursive: true, mode: 0o700 });
      try {
        fs.writeFileSync(file, crypto.randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    key = parseKey(fs.readFileSync(file, 'utf8'));
  }
  g.__liaisonMasterKey = key;
  return key;
}

/** A purpose-bound subkey, so one master key never serves two uses directly. */
export function deriveKey(purpose: string, bytes = 32): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', masterKey(), Buffer.alloc(0), `liaison:${purpose}`, bytes));
}

/** AES-256-GCM key wrap: iv(12) | tag(16) | ciphertext(32). */
export function wrapKey(fileKey: Buffer): Buffer {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', deriveKey('file-key-wrap'), iv);
  c.setAAD(Buffer.from('liaison-file-key-v1'));
  const ct = Buffer.concat([c.update(fileKey), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), ct]);
}

export function unwrapKey(wrapped: Uint8Array): Buffer {
  const buf = Buffer.from(wrapped);
  const d = crypto.createDecipheriv('aes-256-gcm', deriveKey('file-key-wrap'), buf.subarray(0, 12));
  d.setAAD(Buffer.from('liaison-file-key-v1'));
  d.setAuthTag(buf.subarray(12, 28));
  return Buffer.concat([d.update(buf.subarray(28)), d.final()]);
}
