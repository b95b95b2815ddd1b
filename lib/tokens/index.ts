export { signGuestToken, verifyGuestToken, shareAudience, portalAudience } from './guest-token';
export type { GuestAudience, GuestTokenClaims, VerifiedGuestToken } from './guest-token';
export { currentSigningKey, rotateSigningKey, publicJwks, pruneRetiredSigningKeys, clearKeyCache, organizationSigningKeys } from './signing-keys';
export type { PublicJwk, RotatedKey, SigningKeyHandle, VerificationKey } from './signing-keys';
export { MAX_TOKEN_TTL_SECONDS, TOKEN_TYP } from './constants';
