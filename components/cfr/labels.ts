/** Display of the 28 CFR Part 23 grades and review states (lib/cfr/input.ts holds the values). */
export const RELIABILITY_LABEL: Record<string, string> = { A: 'A · Reliable', B: 'B · Usually reliable', C: 'C · Unreliable', D: 'D · Reliability unknown' };
export const VALIDITY_LABEL: Record<string, string> = { CONFIRMED: '1 · Confirmed', PROBABLY_TRUE: '2 · Probably true', DOUBTFUL: '3 · Doubtful', CANNOT_BE_JUDGED: '4 · Cannot be judged' };
export const REVIEW_LABEL: Record<string, { text: string; tone: 'red' | 'amber' | 'green' | 'slate' }> = {
  overdue: { text: 'Review overdue', tone: 'red' },
  due_soon: { text: 'Review due soon', tone: 'amber' },
  current: { text: 'Current', tone: 'green' },
  purged: { text: 'Purged', tone: 'slate' },
};
export const RELEASE_KIND_LABEL: Record<string, string> = { SHARE_GRANT: 'Share created', PORTAL_GRANT: 'Portal access granted', VIEW: 'Viewed', DOWNLOAD: 'Downloaded' };
