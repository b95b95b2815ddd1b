// FIRST TLP 2.0 colours: the label text in its colour on a black background. Classes rather than a
// style attribute: the Content-Security-Policy allows no inline styles in server-rendered markup.
const TLP_STYLE: Record<string, { label: string; color: string; meaning: string }> = {
  RED: { label: 'TLP:RED', color: 'text-[#FF2B2B]', meaning: 'For the eyes and ears of individual recipients only' },
  AMBER_STRICT: { label: 'TLP:AMBER+STRICT', color: 'text-[#FFC000]', meaning: "Limited disclosure, restricted to the recipient's organisation only" },
  AMBER: { label: 'TLP:AMBER', color: 'text-[#FFC000]', meaning: "Limited disclosure, restricted to the recipient's organisation and its clients" },
  GREEN: { label: 'TLP:GREEN', color: 'text-[#33FF00]', meaning: 'Limited disclosure, restricted to the community' },
  CLEAR: { label: 'TLP:CLEAR', color: 'text-[#FFFFFF]', meaning: 'Disclosure is not limited' },
};

export const TLP_OPTIONS = [
  { value: 'CLEAR', label: 'TLP:CLEAR' },
  { value: 'GREEN', label: 'TLP:GREEN' },
  { value: 'AMBER', label: 'TLP:AMBER' },
  { value: 'AMBER_STRICT', label: 'TLP:AMBER+STRICT' },
  { value: 'RED', label: 'TLP:RED' },
] as const;

export const tlpLabel = (tlp: string) => TLP_STYLE[tlp]?.label ?? `TLP:${tlp}`;

export function TlpBadge({ tlp, size = 'sm' }: { tlp: string | null | undefined; size?: 'sm' | 'md' }) {
  if (!tlp) return <span className="text-slate-400">—</span>;
  const s = TLP_STYLE[tlp] ?? { label: `TLP:${tlp}`, color: 'text-[#FFFFFF]', meaning: '' };
  return (
    <span
      title={s.meaning}
      className={`inline-flex items-center rounded-[3px] bg-black font-mono font-bold tracking-tight whitespace-nowrap ${s.color} ${size === 'md' ? 'px-2 py-1 text-xs' : 'px-1.5 py-0.5 text-[11px] leading-4'}`}
    >
      {s.label}
    </span>
  );
}
