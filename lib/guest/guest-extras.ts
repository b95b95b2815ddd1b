import { preparedQuery } from '../db/hot-pool';
import type { GuestExtras } from './facts';

/**
 * Whether an address belongs to a partner organisation (of the given organisation) whose identity
 * provider is enabled: then only that provider may vouch for it (sso_required). Exact, lower-case
 * domain match on the part after the last "@". Addresses are normalised to ASCII (punycode) before
 * they are stored, so a Unicode look-alike domain never equals a partner's domain.
 *
 * One SQL expression so the guarded path's single query (./context-loader.ts) and every other path
 * answer exactly alike.
 */
export const PARTNER_SSO_SQL = (orgIdExpr: string, emailExpr: string) => `EXISTS (
    SELECT 1 FROM "PartnerOrg" po JOIN "IdentityProvider" ip ON ip."partnerOrgId" = po."id" AND ip."enabled"
    WHERE po."orgId" = ${orgIdExpr} AND ${emailExpr} IS NOT NULL
      AND lower(substring(${emailExpr} from '[^@]*$')) = ANY (po."domains"))`;

/** The live extras of a guest on a share, for paths that do not go through the guarded loader. */
export async function loadGuestExtras(orgId: string, shareId: string, guest: { id: string | null; email: string | null }): Promise<GuestExtras> {
  const rows = await preparedQuery<{ partnerSso: boolean; invited: boolean }>('guest_extras',
    `SELECT ${PARTNER_SSO_SQL('$1::text', '$3::text')} AS "partnerSso",
       EXISTS (SELECT 1 FROM "GuestInvitation" i WHERE i."shareId" = $2::text AND i."guestId" = $4::text AND i."state" = 'ACCEPTED') AS "invited"`,
    [orgId, shareId, guest.email, guest.id ?? '']);
  return { partnerSso: rows[0]?.partnerSso === true, invited: rows[0]?.invited === true };
}
