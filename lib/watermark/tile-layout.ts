/** Sizes and angle follow the page so a postcard and a poster are marked alike. */
export interface StampStyle {
  fontSize: number;
  angle: number;
  rowStep: number;
  colGap: number;
}

const MIN_FONT = 6;
const MAX_FONT = 40;
const MAX_TILES = 400;

export function stampStyle(width: number, height: number): StampStyle {
  const fontSize = Math.min(MAX_FONT, Math.max(MIN_FONT, Math.min(width, height) / 42));
  // Along the page's diagonal, kept within 30-45 degrees so it stays readable on odd shapes.
  const angle = Math.min(45, Math.max(30, (Math.atan2(height, width) * 180) / Math.PI));
  return { fontSize, angle, rowStep: fontSize * 6, colGap: fontSize * 4 };
}

export interface Point {
  x: number;
  y: number;
}

/** The s-interval where the baseline {centre + s·u + t·n} crosses the rectangle [0,w]×[0,h]. */
function crossing(w: number, h: number, c: Point, u: Point, n: Point, t: number): [number, number] | undefined {
  let lo = -Infinity;
  let hi = Infinity;
  for (const [p0, d, max] of [
    [c.x + t * n.x, u.x, w],
    [c.y + t * n.y, u.y, h],
  ] as const) {
    if (Math.abs(d) < 1e-9) {
      if (p0 < 0 || p0 > max) return undefined;
      continue;
    }
    const a = (0 - p0) / d;
    const b = (max - p0) / d;
    lo = Math.max(lo, Math.min(a, b));
    hi = Math.min(hi, Math.max(a, b));
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/**
 * Start points of each repetition, in a brick pattern of rows parallel to the rotated baseline.
 * Every row through the page gets copies end to end, so any crop big enough to read keeps one
 * whole line or most of two; copies that would fall entirely off the page are skipped.
 */
export function tileOrigins(width: number, height: number, lineWidth: number, style: StampStyle): Point[] {
  const rad = (style.angle * Math.PI) / 180;
  const u = { x: Math.cos(rad), y: Math.sin(rad) };
  const n = { x: -u.y, y: u.x };
  const c = { x: width / 2, y: height / 2 };
  let rowStep = style.rowStep;
  let colStep = lineWidth + style.colGap;
  const radius = Math.hypot(width, height) / 2 + style.fontSize;
  const estimate = ((2 * radius) / rowStep) * ((2 * radius) / colStep);
  if (estimate > MAX_TILES) {
    // Long thin pages with small type would otherwise get thousands of copies.
    const k = Math.sqrt(estimate / MAX_TILES);
    rowStep *= k;
    colStep *= k;
  }

  const out: Point[] = [];
  const rows = Math.ceil(radius / rowStep);
  for (let r = -rows; r <= rows; r++) {
    const t = r * rowStep - style.fontSize * 0.35;
    // The glyphs span roughly from the baseline to cap height; a row counts if either edge is on the page.
    const spans = [crossing(width, height, c, u, n, t), crossing(width, height, c, u, n, t + style.fontSize * 0.7)].filter(
      (s): s is [number, number] => s !== undefined,
    );
    if (spans.length === 0) continue;
    const lo = Math.min(...spans.map((s) => s[0]));
    const hi = Math.max(...spans.map((s) => s[1]));
    // Centre one copy on the page's centre line, then offset alternate rows by half a step.
    const phase = -lineWidth / 2 + (Math.abs(r) % 2) * (colStep / 2);
    const first = Math.floor((lo - lineWidth - phase) / colStep);
    for (let k = first; phase + k * colStep <= hi; k++) {
      const s = phase + k * colStep;
      if (s + lineWidth < lo) continue;
      out.push({ x: c.x + s * u.x + t * n.x, y: c.y + s * u.y + t * n.y });
    }
  }
  return out;
}
