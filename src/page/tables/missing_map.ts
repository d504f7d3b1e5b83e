// The missingness map: one band per table column, one band of rows per table row (a short table's
// rows drawn taller, a long table's binned into the canvas's height), red where a cell is missing.
import type { TableData } from '../../tables/table.ts';

export function drawMissingMap(canvas: HTMLCanvasElement, t: TableData, maxHeight = 240): void {
  const C = t.columns.length;
  const band = Math.max(4, Math.min(24, Math.floor(480 / C)));
  const h = t.rows >= maxHeight ? maxHeight : t.rows * Math.floor(maxHeight / t.rows);
  canvas.width = C * band;
  canvas.height = h;
  const g = canvas.getContext('2d')!;
  const img = g.createImageData(canvas.width, h);
  for (let y = 0; y < h; y++) {
    // the rows this pixel row covers: missing if any of them is
    const r0 = Math.floor((y * t.rows) / h), r1 = Math.max(r0 + 1, Math.floor(((y + 1) * t.rows) / h));
    if (h > t.rows && (y + 1) % (h / t.rows) === 0) continue; // a thin gap between tall rows
    for (let c = 0; c < C; c++) {
      let missing = false;
      for (let r = r0; r < r1 && !missing; r++) missing = !t.mask[r * C + c];
      const v = missing ? 30 : 225;
      for (let x = c * band; x < (c + 1) * band - 1; x++) {
        const at = (y * canvas.width + x) * 4;
        img.data[at] = missing ? 200 : v;
        img.data[at + 1] = v;
        img.data[at + 2] = missing ? 40 : v;
        img.data[at + 3] = 255;
      }
    }
  }
  g.putImageData(img, 0, 0);
}
