/** The page as a reader sees it: after CropBox and /Rotate are applied. */
export interface VisualFrame {
  width: number;
  height: number;
  /** PDF matrix [a b c d e f] taking visual coordinates (origin bottom-left) into page user space. */
  matrix: [number, number, number, number, number, number];
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Only the part of the CropBox inside the MediaBox is ever shown, and boxes may have any origin. */
export function visibleBox(media: Box, crop: Box): Box {
  const norm = (b: Box): Box => ({
    x: Math.min(b.x, b.x + b.width),
    y: Math.min(b.y, b.y + b.height),
    width: Math.abs(b.width),
    height: Math.abs(b.height),
  });
  const m = norm(media);
  const c = norm(crop);
  const x0 = Math.max(m.x, c.x);
  const y0 = Math.max(m.y, c.y);
  const x1 = Math.min(m.x + m.width, c.x + c.width);
  const y1 = Math.min(m.y + m.height, c.y + c.height);
  // A CropBox entirely off the MediaBox is malformed; readers fall back to the MediaBox.
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : m;
}

/** /Rotate turns the page clockwise for display; any multiple of 90, negative ones included. */
export function normaliseRotation(degrees: number): 0 | 90 | 180 | 270 {
  const r = ((Math.round(degrees / 90) * 90) % 360 + 360) % 360;
  return r as 0 | 90 | 180 | 270;
}

export function visualFrame(box: Box, rotation: number): VisualFrame {
  const { x: x0, y: y0, width: w, height: h } = box;
  const x1 = x0 + w;
  const y1 = y0 + h;
  switch (normaliseRotation(rotation)) {
    case 90:
      return { width: h, height: w, matrix: [0, 1, -1, 0, x1, y0] };
    case 180:
      return { width: w, height: h, matrix: [-1, 0, 0, -1, x1, y1] };
    case 270:
      return { width: h, height: w, matrix: [0, -1, 1, 0, x0, y1] };
    default:
      return { width: w, height: h, matrix: [1, 0, 0, 1, x0, y0] };
  }
}
