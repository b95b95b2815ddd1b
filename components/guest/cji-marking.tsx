import { Icon } from '../ui/icons';

/**
 * The marking a guest sees above a criminal-intelligence document in the viewer (share and portal): what
 * it is, the rule it was released under, and that the release is logged.
 */
export function CjiMarking() {
  return (
    <p role="note" data-testid="guest-cji" className="mb-2 inline-flex flex-wrap items-center gap-2 rounded-md bg-rose-700 px-3 py-1.5 text-xs font-semibold tracking-wide text-white uppercase">
      <Icon name="shieldAlert" className="size-4" />
      Criminal intelligence · 28 CFR Part 23
      <span className="font-normal tracking-normal normal-case opacity-90">Released to you as a law-enforcement agency with a need to know. Do not pass it on; this release is logged.</span>
    </p>
  );
}
