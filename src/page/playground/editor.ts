// The editing canvas: the chosen image with its holes, scaled up; pointer strokes over it call
// `paint(from, to)` with positions in image pixels (every pointer event extends the stroke from
// the last position, so the caller can stamp a continuous line) and `strokeEnd()` on release.
import type { Point } from './brush.ts';
import { imageCanvas, paintImage } from './paint_image.ts';

export interface Editor {
  canvas: HTMLCanvasElement;
  draw(image: Float32Array, mask: Uint8Array): void;
}

export function createEditor(side: number, scale: number, on: { paint(from: Point, to: Point): void; strokeEnd(): void }): Editor {
  const canvas = imageCanvas(side, scale, 'pg-editor');
  canvas.style.touchAction = 'none'; // a stroke on a touch screen paints instead of scrolling
  let last: Point | undefined;
  const at = (e: PointerEvent): Point => {
    const r = canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * side, y: ((e.clientY - r.top) / r.height) * side };
  };
  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    canvas.setPointerCapture(e.pointerId); // the stroke keeps going when the pointer leaves the canvas
    last = at(e);
    on.paint(last, last);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!last) return;
    const p = at(e);
    on.paint(last, p);
    last = p;
  });
  const end = () => {
    if (!last) return;
    last = undefined;
    on.strokeEnd();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  return { canvas, draw: (image, mask) => paintImage(canvas, image, mask) };
}
