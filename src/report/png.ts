// Grayscale image grids as PNG bytes for the report (Node only: uses pngjs), and a decoder for
// tests. Pixel values in [0, 1] map to round(255 * v) after clamping; NaN is drawn black.
import { PNG } from 'pngjs';
import { fail } from '../errors.ts';

const GAP_GREY = 128;

export interface GridOptions {
  /** images per grid row (the grid is min(perRow, count) images wide) */
  perRow: number;
  /** integer upscaling factor per image pixel (default 2) */
  scale?: number;
  /** mid-grey pixels between neighbouring images (default 2; none around the outside) */
  gap?: number;
}

function requireInt(what: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) fail(`${what} must be an integer >= ${min}, got ${value}`);
}

/** Lays out `count` rows x cols images (back to back in `images`) in a grid; returns PNG bytes. */
export function grayscaleGridPng(
  images: Float32Array,
  count: number,
  rows: number,
  cols: number,
  opts: GridOptions,
): Uint8Array {
  const scale = opts.scale ?? 2;
  const gap = opts.gap ?? 2;
  requireInt('image count', count, 1);
  requireInt('image rows', rows, 1);
  requireInt('image cols', cols, 1);
  requireInt('images per row', opts.perRow, 1);
  requireInt('PNG scale', scale, 1);
  requireInt('PNG gap', gap, 0);
  const D = rows * cols;
  if (images.length < count * D) {
    fail(`grayscaleGridPng: ${count} images of ${rows}x${cols} need ${count * D} values, got ${images.length}`);
  }
  const gridCols = Math.min(opts.perRow, count);
  const gridRows = Math.ceil(count / opts.perRow);
  const tileW = cols * scale;
  const tileH = rows * scale;
  const width = gridCols * tileW + (gridCols - 1) * gap;
  const height = gridRows * tileH + (gridRows - 1) * gap;
  const gray = Buffer.alloc(width * height, GAP_GREY);
  for (let k = 0; k < count; k++) {
    const x0 = (k % opts.perRow) * (tileW + gap);
    const y0 = Math.floor(k / opts.perRow) * (tileH + gap);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = images[k * D + r * cols + c];
        const byte = v > 0 ? (v < 1 ? Math.round(v * 255) : 255) : 0; // NaN -> 0
        for (let dy = 0; dy < scale; dy++) {
          const at = (y0 + r * scale + dy) * width + x0 + c * scale;
          gray.fill(byte, at, at + scale);
        }
      }
    }
  }
  const png = new PNG({ width, height });
  png.data = gray;
  const bytes = PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decodes PNG bytes to one 8-bit grey value per pixel (the red channel of the RGBA decode). */
export function decodePng(bytes: Uint8Array): { width: number; height: number; gray: Uint8Array } {
  let png;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    fail(`not a readable PNG (${bytes.length} bytes): ${(e as Error).message}`);
  }
  const { width, height, data } = png;
  const gray = new Uint8Array(width * height);
  for (let i = 0; i < gray.length; i++) gray[i] = data[4 * i];
  return { width, height, gray };
}
