import path from 'node:path';
import { z } from 'zod';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  LIAISON_DATA_DIR: z.string().default('./data'),
  LIAISON_PUBLIC_URL: z.string().url().optional(),
  LIAISON_MASTER_KEY: z.string().optional(),
  SMTP_URL: z.string().optional(),
  LIAISON_TRUSTED_PROXIES: z.string().optional(),
  LIAISON_GEOIP_DB: z.string().optional(),
  LIAISON_MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(100 * 1024 * 1024),
  LIAISON_ADMIN_EMAIL: z.string().email().optional(),
  LIAISON_ADMIN_PASSWORD: z.string().min(8).optional(),
  LIAISON_LOG_LEVEL: z.string().default('info'),
});

export type Config = z.infer<typeof schema> & { dataDir: string; publicUrl: string };

/** Reads the environment each call: server.ts sets DATABASE_URL for the embedded database at start. */
export function config(): Config {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${issues}`);
  }
  const c = parsed.data;
  return {
    ...c,
    dataDir: path.resolve(c.LIAISON_DATA_DIR),
    publicUrl: (c.LIAISON_PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, ''),
  };
}
