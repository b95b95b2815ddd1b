import crypto from 'node:crypto';

/** Sortable, unguessable id (time prefix + 80 random bits), made before insert so the hash can cover it. */
export function createId(): string {
  return 'ev' + Date.now().toString(36).padStart(9, '0') + crypto.randomBytes(10).toString('hex');
}
