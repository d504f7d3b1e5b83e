// Draws one side x side image into a canvas of the same size (CSS scales it up, pixelated):
// grey levels round(255 * v) as in image_grid.ts, and missing pixels, when a mask is given, tinted
// red over their value so the hole and what lies under it stay both visible.
import { fail } from '../../errors.ts';

export function imageCanvas(side: number, scale: number, className: string): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = c.height = side;
  c.className = className;
  c.style.width = c.style.height = `${side * scale}px`;
  c.style.imageRendering = 'pixelated';
  return c;
}

const byte = (v: number) => (v > 0 ? (v < 1 ? Math.round(v * 255) : 255) : 0);

export function paintImage(canvas: HTMLCanvasElement, image: Float32Array, mask?: Uint8Array): void {
  const side = canvas.width;
  if (image.length !== side * side) fail(`paintImage: a ${side}x${side} canvas needs ${side * side} values, got ${image.length}`);
  const g = canvas.getContext('2d');
  if (!g) fail('this browser gives no 2D canvas context');
  const img = g.createImageData(side, side);
  for (let i = 0; i < image.length; i++) {
    const v = byte(image[i]), at = 4 * i;
    if (mask && mask[i] !== 0) {
      img.data[at] = 160 + (v * 95) / 255; // a red hole, lighter where the digit's ink is
      img.data[at + 1] = img.data[at + 2] = 40 + (v * 120) / 255;
    } else {
      img.data[at] = img.data[at + 1] = img.data[at + 2] = v;
    }
    img.data[at + 3] = 255;
  }
  g.putImageData(img, 0, 0);
}
