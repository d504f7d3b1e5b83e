// Brush geometry for painting on a rows x cols pixel grid: a round brush of a given diameter,
// stamped along the segment between two pointer positions so that a fast stroke (few pointer
// events far apart) still leaves a continuous line. Positions are in pixel units, origin at the
// grid's top-left corner (pixel (r, c) spans [c, c+1) x [r, r+1)). Pure code: tested in Node.

export interface Grid {
  rows: number;
  cols: number;
}

export interface Point {
  x: number;
  y: number;
}

/**
 * Sets `value` at every pixel whose centre lies within size/2 of p, and always at the pixel under
 * p (so a size-1 brush paints one pixel wherever the pointer is). Returns how many pixels changed.
 */
export function stampDisc(target: Uint8Array | Float32Array, g: Grid, p: Point, size: number, value: number): number {
  const r = size / 2;
  let changed = 0;
  const set = (row: number, col: number) => {
    if (row < 0 || row >= g.rows || col < 0 || col >= g.cols) return;
    const i = row * g.cols + col;
    if (target[i] !== value) {
      target[i] = value;
      changed++;
    }
  };
  set(Math.floor(p.y), Math.floor(p.x));
  for (let row = Math.floor(p.y - r); row <= Math.ceil(p.y + r); row++) {
    for (let col = Math.floor(p.x - r); col <= Math.ceil(p.x + r); col++) {
      const dy = row + 0.5 - p.y, dx = col + 0.5 - p.x;
      if (dx * dx + dy * dy <= r * r) set(row, col);
    }
  }
  return changed;
}

/** Stamps the brush every quarter pixel from `a` to `b` (both ends included); returns pixels changed. */
export function stampSegment(target: Uint8Array | Float32Array, g: Grid, a: Point, b: Point, size: number, value: number): number {
  const steps = Math.max(1, Math.ceil(4 * Math.hypot(b.x - a.x, b.y - a.y)));
  let changed = 0;
  for (let s = 0; s <= steps; s++) {
    const t = s / steps;
    changed += stampDisc(target, g, { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) }, size, value);
  }
  return changed;
}
