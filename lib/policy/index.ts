export { decideAccess, decideAcrossGrants, explainAccess, grantNamesGuest, criminalIntelGrantProblem, criminalIntelGuestAllowed, CHECK_ORDER, type CheckOutcome, type Explanation, type GrantsDecision } from './decide';
export { parseCidrList, ipInRanges, rangesAreValid } from './cidr';
export { deviceClass } from './device';
export { REASONS, refusalError, type GuestRefusalCode, type ReasonInfo } from './reasons';
export * from './types';
