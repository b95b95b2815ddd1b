/** The viewer's on-screen watermark: the same identity line a downloaded copy carries, tiled diagonally. */
export function WatermarkOverlay({ text }: { text: string }) {
  const rows = Array.from({ length: 14 });
  return (
    <div aria-hidden className="pointer-events-none absolute inset-0 select-none overflow-hidden">
      <div className="absolute -inset-1/2 flex -rotate-[30deg] flex-col justify-around">
        {rows.map((_, i) => (
          <p key={i} className={`whitespace-nowrap text-center text-sm font-semibold text-slate-900/25 ${i % 2 ? '-ml-48' : ''}`}>
            {`${text}     ${text}     ${text}`}
          </p>
        ))}
      </div>
    </div>
  );
}
