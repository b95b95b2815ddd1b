import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';

// Each worker gets its own data directory (blobs, keys) and a fixed master key; all share one database.
const url = inject('databaseUrl');
(process.env as Record<string, string>).NODE_ENV = 'test';
process.env.DATABASE_URL = url;
process.env.LIAISON_EFFECTIVE_DATABASE_URL = url;
process.env.LIAISON_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-test-data-'));
process.env.LIAISON_MASTER_KEY ??= 'a'.repeat(64);
process.env.LIAISON_PUBLIC_URL ??= 'http://liaison.test';
delete process.env.REDIS_URL;
