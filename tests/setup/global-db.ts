import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../lib/db/embedded';
import { migrate } from '../../lib/db/migrate';
import { startS3rver, type S3Server } from '../helpers/s3';

declare module 'vitest' {
  export interface ProvidedContext { databaseUrl: string; databaseKind: 'embedded' | 'postgresql'; s3Endpoint: string }
}

let embedded: EmbeddedDatabase | null = null;
let dir: string | null = null;
let s3: S3Server | null = null;

/** Clears a disposable test database. Refuses any database whose name does not mention "test". */
export async function resetDatabase(url: string) {
  const name = new URL(url).pathname.slice(1);
  if (!/test/i.test(name)) throw new Error(`Refusing to reset "${name}": TEST_DATABASE_URL must name a test database`);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
  } finally {
    await c.end();
  }
}

export default async function setup(project: TestProject) {
  let url: string;
  if (process.env.TEST_DATABASE_URL) {
    url = process.env.TEST_DATABASE_URL;
    await resetDatabase(url);
    project.provide('databaseKind', 'postgresql');
  } else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-vitest-'));
    embedded = await startEmbeddedDatabase(dir, { publish: false });
    url = embedded.url;
    project.provide('databaseKind', 'embedded');
  }
  await migrate(url);
  project.provide('databaseUrl', url);
  // TEST_S3=1: every worker keeps its files in one s3rver instead of its data directory (docs/STORAGE.md).
  if (process.env.TEST_S3 === '1') s3 = await startS3rver();
  project.provide('s3Endpoint', s3?.endpoint ?? '');
  return async () => {
    await s3?.stop();
    await embedded?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
}
