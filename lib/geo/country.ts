import fs from 'node:fs';
import maxmind, { type CountryResponse, type Reader } from 'maxmind';
import { log } from '../log';

const g = globalThis as unknown as { __liaisonGeo?: { path: string; reader: Reader<CountryResponse> | null } };

/**
 * ISO country of an address from the MaxMind-format database at LIAISON_GEOIP_DB (GeoLite2/GeoIP2
 * Country or City, or a compatible DB-IP file). Without a database every country is unknown, and
 * shares that restrict countries then refuse everyone (the policy fails closed).
 */
export async function countryOf(ip: string | null): Promise<string | null> {
  const path = process.env.LIAISON_GEOIP_DB;
  if (!ip || !path) return null;
  if (g.__liaisonGeo?.path !== path) {
    let reader: Reader<CountryResponse> | null = null;
    try {
      if (fs.existsSync(path)) reader = await maxmind.open<CountryResponse>(path);
      else log.warn({ path }, 'LIAISON_GEOIP_DB does not exist; countries are unknown');
    } catch (e) {
      log.error({ err: e, path }, 'could not open the GeoIP database; countries are unknown');
    }
    g.__liaisonGeo = { path, reader };
  }
  try {
    return g.__liaisonGeo!.reader?.get(ip)?.country?.iso_code ?? null;
  } catch {
    return null;
  }
}
