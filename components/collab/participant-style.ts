import type { Participant } from '@/lib/collab/types';

// Whole class names (Tailwind finds them in the source) rather than computed colours: the page's
// Content-Security-Policy allows no style attributes in server-rendered markup.
const PALETTE = [
  'bg-sky-100 text-sky-800 ring-sky-300',
  'bg-emerald-100 text-emerald-800 ring-emerald-300',
  'bg-amber-100 text-amber-900 ring-amber-300',
  'bg-rose-100 text-rose-800 ring-rose-300',
  'bg-violet-100 text-violet-800 ring-violet-300',
  'bg-teal-100 text-teal-800 ring-teal-300',
  'bg-orange-100 text-orange-900 ring-orange-300',
  'bg-fuchsia-100 text-fuchsia-800 ring-fuchsia-300',
];

/** A stable colour per participant id (FNV-1a), the same in every browser and on every visit. */
export function participantColour(id: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return PALETTE[(h >>> 0) % PALETTE.length];
}

/** "Anna Berg" → "AB"; "anna@firm.example" → "AN". */
export function participantInitials(name: string): string {
  const clean = name.replace(/@.*$/, '').trim();
  const words = clean.split(/[\s._-]+/).filter(Boolean);
  if (words.length >= 2) return (words[0][0] + words[words.length - 1][0]).toUpperCase();
  return (clean.slice(0, 2) || '?').toUpperCase();
}

export const kindLabel = (p: Pick<Participant, 'kind'>) => (p.kind === 'staff' ? 'Staff' : 'Guest');
