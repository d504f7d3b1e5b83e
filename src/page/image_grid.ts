// Grayscale image grids drawn into a <canvas> for the page (the report's PNG grids, in the browser).
// Values in [0, 1] map to round(255 * v) after clamping; NaN is drawn black, as in report/png.ts.
import { fail } from '../errors.ts';

export function gridCanvas(images: Float32Array, count: number, rows: number, cols: number, perRow: number, scale = 2): HTMLCanvasElement {
  const D = rows * cols;
  if (images.length < count * D) fail(`gridCanvas: ${count} images of ${rows}x${cols} need ${count * D} values, got ${images.length}`);
  const gap = 2;
  const gridCols = Math.min(perRow, count), gridRows = Math.ceil(count / perRow);
  const canvas = document.createElement('canvas');
  canvas.width = gridCols * cols + (gridCols - 1) * gap;
  canvas.height = gridRows * rows + (gridRows - 1) * gap;
  // drawn at one pixel per image pixel; CSS scales it up without smoothing
  canvas.style.width = `${canvas.width * scale}px`;
  canvas.style.imageRendering = 'pixelated';
  const g = canvas.getContext('2d');
  if (!g) fail('this browser gives no 2D canvas context');
  const img = g.createImageData(canvas.width, canvas.height);
  img.data.fill(128);
  for (let k = 0; k < count; k++) {
    const x0 = (k % perRow) * (cols + gap), y0 = Math.floor(k / perRow) * (rows + gap);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = images[k * D + r * cols + c];
        const byte = v > 0 ? (v < 1 ? Math.round(v * 255) : 255) : 0;
        const at = 4 * ((y0 + r) * canvas.width + x0 + c);
        img.data[at] = img.data[at + 1] = img.data[at + 2] = byte;
      }
    }
  }
  g.putImageData(img, 0, 0);
  return canvas;
}
