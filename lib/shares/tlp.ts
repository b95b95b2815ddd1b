import type { Tlp } from '../generated/prisma/enums';

const ORDER: Record<Tlp, number> = { CLEAR: 0, GREEN: 1, AMBER: 2, AMBER_STRICT: 3, RED: 4 };

/** True when a document marked `label` may leave an organisation whose ceiling is `ceiling`. */
export const tlpAllowed = (label: Tlp, ceiling: Tlp) => ORDER[label] <= ORDER[ceiling];

export const TLP_DISPLAY: Record<Tlp, string> = { CLEAR: 'TLP:CLEAR', GREEN: 'TLP:GREEN', AMBER: 'TLP:AMBER', AMBER_STRICT: 'TLP:AMBER+STRICT', RED: 'TLP:RED' };
