import { Painted } from './painted';

/** A portal's logo, or its initial on its primary colour: how the console tells portals apart at a glance. */
export function PortalMark({ portal, size = 'md' }: { portal: { id: string; name: string; primaryColor: string; logoUpdatedAt: Date | null }; size?: 'md' | 'lg' }) {
  const box = size === 'lg' ? 'size-14 rounded-lg text-xl' : 'size-9 rounded-md text-sm';
  if (portal.logoUpdatedAt) {
    return (
      <span className={`${box} flex shrink-0 items-center justify-center overflow-hidden bg-white ring-1 ring-slate-200`}>
        {/* eslint-disable-next-line @next/next/no-img-element -- served by our own route */}
        <img src={`/api/v1/portals/${portal.id}/logo?v=${portal.logoUpdatedAt.getTime().toString(36)}`} alt="" className="max-h-full max-w-full object-contain p-1" />
      </span>
    );
  }
  return <Painted aria-hidden className={`${box} flex shrink-0 items-center justify-center bg-slate-700 font-semibold text-white`} paint={{ backgroundColor: portal.primaryColor }}>{(portal.name.trim()[0] ?? 'P').toUpperCase()}</Painted>;
}
