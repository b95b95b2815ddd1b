import path from 'node:path';
import { z } from 'zod';
import { parseMailbox } from './mail/address';
import { storageConfig, type StorageConfig } from './storage/s3-settings';

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
const isMailbox = (v: string) => {
  try {
    parseMailbox(v);
    return true;
  } catch {
    return false;
  }
};

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  LIAISON_DATA_DIR: z.string().default('./data'),
  LIAISON_PUBLIC_URL: z.string().url().optional(),
  LIAISON_MASTER_KEY: z.string().optional(),
  // smtp:// (STARTTLS when offered) or smtps:// (TLS from the start), with credentials. Unset: the
  // development outbox, readable by admins in the console; nothing is delivered.
  SMTP_URL: z.preprocess(emptyToUndefined, z.string().url().refine((v) => /^smtps?:$/.test(new URL(v).protocol), 'SMTP_URL must start with smtp:// or smtps://').optional()),
  // The sender of every mail, "Name <address>" or an address. Default: no-reply at the public host.
  LIAISON_MAIL_FROM: z.preprocess(emptyToUndefined, z.string().refine(isMailbox, 'LIAISON_MAIL_FROM must be an address or "Name <address>"').optional()),
  // 1 lets webhooks reach loopback and private addresses (tests, an internal relay); refused otherwise.
  LIAISON_WEBHOOK_ALLOW_PRIVATE: z.enum(['0', '1', 'true', 'false']).optional(),
  // 1 lets an OIDC issuer be plain http:// (the tests' in-process provider). Refused otherwise.
  LIAISON_SSO_ALLOW_HTTP: z.enum(['0', '1', 'true', 'false']).optional(),
  LIAISON_TRUSTED_PROXIES: z.string().optional(),
  LIAISON_GEOIP_DB: z.string().optional(),
  // Resolvers for custom-domain TXT checks, "ip[:port]" separated by commas ([v6]:port for IPv6).
  // Unset: the system's resolvers. Tests point it at their own DNS server.
  LIAISON_DNS_SERVERS: z.preprocess(emptyToUndefined, z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .refine((list) => list.length > 0 && list.every((s) => /^(\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?|\[[0-9a-fA-F:.]+\](:\d{1,5})?|[0-9a-fA-F:]+)$/.test(s)), 'LIAISON_DNS_SERVERS must be ip[:port] values separated by commas')
    .optional()),
  // Every audit event forwarded, once committed, as RFC 5424 syslog with octet-counting framing (RFC
  // 6587): tcp://host:port, or tls://host:port (certificate verified). Unset: no forwarding.
  LIAISON_SYSLOG_URL: z.preprocess(emptyToUndefined, z.string().url()
    .refine((v) => /^(tcp|tls):$/.test(new URL(v).protocol) && new URL(v).port !== '' && new URL(v).hostname !== '', 'LIAISON_SYSLOG_URL must be tcp://host:port or tls://host:port')
    .optional()),
  // PEM file of the certificate authorities to trust for tls:// instead of the system's (a private CA, tests).
  LIAISON_SYSLOG_CA_FILE: z.preprocess(emptyToUndefined, z.string().optional()),
  // Object storage (docs/STORAGE.md): s3://bucket[/prefix][?region=&endpoint=&forcePathStyle=&timeoutMs=].
  // Credentials never go here (refused): the SDK's usual chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
  // AWS_SESSION_TOKEN, AWS_PROFILE, instance roles) provides them. Unset, and no LIAISON_S3_BUCKET: files
  // stay under LIAISON_DATA_DIR.
  LIAISON_S3_URL: z.preprocess(emptyToUndefined, z.string().optional()),
  // The same without a URL: bucket, optional key prefix, and the AWS SDK's own region and endpoint variables.
  LIAISON_S3_BUCKET: z.preprocess(emptyToUndefined, z.string().optional()),
  LIAISON_S3_PREFIX: z.preprocess(emptyToUndefined, z.string().optional()),
  AWS_REGION: z.preprocess(emptyToUndefined, z.string().optional()),
  AWS_DEFAULT_REGION: z.preprocess(emptyToUndefined, z.string().optional()),
  AWS_ENDPOINT_URL_S3: z.preprocess(emptyToUndefined, z.string().url().optional()),
  AWS_ENDPOINT_URL: z.preprocess(emptyToUndefined, z.string().url().optional()),
  LIAISON_MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(100 * 1024 * 1024),
  LIAISON_ADMIN_EMAIL: z.string().email().optional(),
  LIAISON_ADMIN_PASSWORD: z.string().min(8).optional(),
  LIAISON_LOG_LEVEL: z.string().default('info'),
});

export type Config = z.infer<typeof schema> & { dataDir: string; publicUrl: string; storage: StorageConfig };

/** Reads the environment each call: server.ts sets DATABASE_URL for the embedded database at start. */
export function config(): Config {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${issues}`);
  }
  const c = parsed.data;
  let storage: StorageConfig;
  try {
    storage = storageConfig(c);
  } catch (e) {
    throw new Error(`Invalid configuration: ${(e as Error).message}`);
  }
  return {
    storage,
    ...c,
    dataDir: path.resolve(c.LIAISON_DATA_DIR),
    publicUrl: (c.LIAISON_PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, ''),
  };
}
