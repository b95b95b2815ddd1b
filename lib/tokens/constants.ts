/** Guest tokens are access tokens in the RFC 9068 style; the header typ says so and is checked. */
export const TOKEN_TYP = 'at+jwt';
export const TOKEN_ALG = 'RS256';
export const RSA_MODULUS_BITS = 2048;

/** The longest life a guest token may have. Browser sessions refresh rather than hold one long token. */
export const MAX_TOKEN_TTL_SECONDS = 12 * 60 * 60;
/** Leeway for clocks that disagree between instances. */
export const CLOCK_SKEW_SECONDS = 30;
/** How long an instance keeps using the signing key it loaded before asking the database again. */
export const KEY_CACHE_SECONDS = 60;

/**
 * How long a rotated key must keep verifying: another instance may still sign with it for up to
 * KEY_CACHE_SECONDS after rotation, and those tokens live up to MAX_TOKEN_TTL_SECONDS (plus skew).
 */
export const ROTATED_KEY_GRACE_SECONDS = MAX_TOKEN_TTL_SECONDS + KEY_CACHE_SECONDS + CLOCK_SKEW_SECONDS;
