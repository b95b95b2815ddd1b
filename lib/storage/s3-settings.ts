import { z } from 'zod';

/** Where Liaison keeps its files: the data directory, or an S3-compatible bucket (docs/STORAGE.md). */
export type StorageConfig =
  | { kind: 'filesystem' }
  | { kind: 's3'; bucket: string; prefix: string; region: string; endpoint: string | null; forcePathStyle: boolean; timeoutMs: number };

export interface StorageEnv {
  LIAISON_S3_URL?: string; LIAISON_S3_BUCKET?: string; LIAISON_S3_PREFIX?: string;
  AWS_REGION?: string; AWS_DEFAULT_REGION?: string; AWS_ENDPOINT_URL_S3?: string; AWS_ENDPOINT_URL?: string;
}

// S3's own rules for new buckets (3–63 characters, lower case, digits, dots and hyphens).
const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'the bucket name must be 3-63 lower-case letters, digits, dots or hyphens');
// A key prefix is plain path segments: no "..", no empty segment, nothing to be normalised away.
const prefix = z.string().regex(/^([A-Za-z0-9_-][A-Za-z0-9._-]*)(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/, 'the prefix must be path segments of letters, digits, ".", "_" or "-"');
const endpoint = z.string().url().refine((v) => /^https?:$/.test(new URL(v).protocol), 'the endpoint must be an http:// or https:// URL');
const region = z.string().regex(/^[a-z0-9-]{2,32}$/, 'the region must look like eu-west-1');
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const timeoutMs = z.coerce.number().int().min(100).max(600_000);

const QUERY_KEYS = new Set(['region', 'endpoint', 'forcePathStyle', 'timeoutMs']);
const DEFAULT_TIMEOUT_MS = 30_000;

function field<T>(schema: z.ZodType<T>, value: unknown, name: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`${name}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

/**
 * Reads the storage settings: LIAISON_S3_URL, else LIAISON_S3_BUCKET, else the filesystem. Values in the
 * URL win over the AWS variables. A URL carrying credentials is refused, so that a secret never sits in a
 * setting that is echoed in process listings and error messages; credentials come from the SDK's chain.
 */
export function storageConfig(env: StorageEnv): StorageConfig {
  let bucket: string; let keyPrefix = ''; const q = new Map<string, string>();
  if (env.LIAISON_S3_URL) {
    let u: URL;
    try { u = new URL(env.LIAISON_S3_URL); } catch { throw new Error('LIAISON_S3_URL: must be s3://bucket[/prefix][?region=...&endpoint=...]'); }
    if (u.protocol !== 's3:') throw new Error('LIAISON_S3_URL: must start with s3://');
    if (u.username || u.password) throw new Error('LIAISON_S3_URL: must not contain credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead');
    if (u.hash) throw new Error('LIAISON_S3_URL: must not have a #fragment');
    bucket = field(bucketName, u.hostname, 'LIAISON_S3_URL bucket');
    keyPrefix = u.pathname.replace(/^\/+|\/+$/g, '');
    for (const [k, v] of u.searchParams) {
      if (!QUERY_KEYS.has(k)) throw new Error(`LIAISON_S3_URL: unknown parameter "${k}" (known: ${[...QUERY_KEYS].join(', ')})`);
      q.set(k, v);
    }
  } else if (env.LIAISON_S3_BUCKET) {
    bucket = field(bucketName, env.LIAISON_S3_BUCKET, 'LIAISON_S3_BUCKET');
    keyPrefix = (env.LIAISON_S3_PREFIX ?? '').replace(/^\/+|\/+$/g, '');
  } else {
    return { kind: 'filesystem' };
  }
  if (keyPrefix) field(prefix, keyPrefix, 'S3 key prefix');
  const ep = q.get('endpoint') ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  return {
    kind: 's3', bucket, prefix: keyPrefix,
    region: field(region, q.get('region') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1', 'S3 region'),
    endpoint: ep ? field(endpoint, ep, 'S3 endpoint') : null,
    // Path-style addressing is what most self-hosted S3-compatible servers need; AWS itself uses virtual hosts.
    forcePathStyle: q.has('forcePathStyle') ? field(bool, q.get('forcePathStyle'), 'forcePathStyle') : Boolean(ep),
    timeoutMs: q.has('timeoutMs') ? field(timeoutMs, q.get('timeoutMs'), 'timeoutMs') : DEFAULT_TIMEOUT_MS,
  };
}

/** The settings as they may be printed: no credentials are ever part of them. */
export function describeStorage(s: StorageConfig, dataDir: string): string {
  if (s.kind === 'filesystem') return `encrypted, in ${dataDir}`;
  return `encrypted, in s3://${s.bucket}${s.prefix ? `/${s.prefix}` : ''} (region ${s.region}${s.endpoint ? `, endpoint ${s.endpoint}` : ''})`;
}
