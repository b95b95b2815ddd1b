import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { S3RVER_CREDENTIALS, s3Url } from '../helpers/s3';

// Each worker gets its own data directory (blobs, keys) and a fixed master key; all share one database.
const url = inject('databaseUrl');
(process.env as Record<string, string>).NODE_ENV = 'test';
process.env.DATABASE_URL = url;
process.env.LIAISON_EFFECTIVE_DATABASE_URL = url;
process.env.LIAISON_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-test-data-'));
process.env.LIAISON_MASTER_KEY ??= 'a'.repeat(64);
process.env.LIAISON_PUBLIC_URL ??= 'http://liaison.test';
delete process.env.REDIS_URL;
// TEST_S3=1: the global setup's s3rver holds every file, each worker under a prefix of its own.
const s3Endpoint = inject('s3Endpoint');
if (s3Endpoint) {
  process.env.LIAISON_S3_URL = s3Url(s3Endpoint, { prefix: `worker-${process.pid}` });
  Object.assign(process.env, S3RVER_CREDENTIALS);
}
