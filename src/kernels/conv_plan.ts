// Shapes of the convolution kernels (shaders/conv2d_*.wgsl): output sizes, the checks a layer
// must pass before anything is allocated or dispatched, and the derived dispatch geometry.
// A conv and a transposed conv are both described as a pairing of a "big" and a "small" image,
// big pixel = small pixel * stride - pad + tap: for a conv big = input, small = output; for a
// transposed conv big = output, small = input. Weights live on the GPU as a padded matrix of
// (small channels) rows x (KH*KW*ceil4(big channels)) columns (src/kernels/conv_layout.ts).
import { fail } from '../errors.ts';
import { ceil4 } from '../gpu/matrix.ts';
import { convOutputSize, convTransposeOutputSize, type Conv2dShape, type ConvT2dShape } from './conv_shape.ts';

export type { Conv2dShape, ConvT2dShape };
export { convOutputSize, convTransposeOutputSize };

export interface ConvGeometry {
  label: string;
  N: number;
  /** big image (conv input, transposed-conv output) */
  Hb: number; Wb: number; Cb: number;
  /** small image (conv output, transposed-conv input) */
  Hs: number; Ws: number; Cs: number;
  KH: number; KW: number; stride: number; pad: number;
  /** weight-gradient split over small pixels: S chunks of `chunk` pixels */
  S: number; chunk: number;
}

type Limits = Pick<GPUSupportedLimits, 'maxStorageBufferBindingSize' | 'maxComputeWorkgroupsPerDimension'>;

/** Invocations a weight-gradient dispatch should have at least to fill a GPU; chunks stay >= MIN_CHUNK pixels. */
const SPLIT_TARGET = 16384;
const MIN_CHUNK = 64;
/** the split partials stay below this many bytes (they are summed by a second pass) */
const SPLIT_BYTES = 64 << 20;

function requireInts(label: string, s: Record<string, number>, names: string[], min: number): void {
  for (const k of names) if (!Number.isInteger(s[k]) || s[k] < min) fail(`${label}: ${k} must be an integer >= ${min}, got ${s[k]}`);
}

function requireBinding(label: string, what: string, bytes: number, lim: Limits): void {
  if (bytes > lim.maxStorageBufferBindingSize) {
    fail(`${label}: ${what} needs ${bytes} bytes but a storage binding may be at most ${lim.maxStorageBufferBindingSize} (maxStorageBufferBindingSize)`);
  }
}

export function requireWorkgroups(label: string, what: string, count: number, lim: Limits): void {
  if (count > lim.maxComputeWorkgroupsPerDimension) {
    fail(`${label}: ${what} needs ${count} workgroups in one dimension but this device allows at most ${lim.maxComputeWorkgroupsPerDimension} (maxComputeWorkgroupsPerDimension)`);
  }
}

/** A 1-D grid of `invocations` in workgroups of 64, folded into (x, y) past the per-dimension limit. */
export function linearGrid(label: string, invocations: number, lim: Limits): [number, number, number] {
  const groups = Math.max(1, Math.ceil(invocations / 64));
  const x = Math.min(groups, lim.maxComputeWorkgroupsPerDimension);
  const y = Math.ceil(groups / x);
  requireWorkgroups(label, `${invocations} invocations`, y, lim);
  return [x, y, 1];
}

export const weightCols = (g: ConvGeometry): number => g.KH * g.KW * ceil4(g.Cb);
/** vec4s of the weight gradient (padded rows included) */
export const weightVec4s = (g: ConvGeometry): number => (ceil4(g.Cs) * weightCols(g)) / 4;

function finish(label: string, g: Omit<ConvGeometry, 'label' | 'S' | 'chunk'>, lim: Limits, splits?: number): ConvGeometry {
  const px = (h: number, w: number, c: number) => g.N * h * w * ceil4(c) * 4;
  requireBinding(label, `the big image (${g.N}x${g.Hb}x${g.Wb}x${g.Cb})`, px(g.Hb, g.Wb, g.Cb), lim);
  requireBinding(label, `the small image (${g.N}x${g.Hs}x${g.Ws}x${g.Cs})`, px(g.Hs, g.Ws, g.Cs), lim);
  const geo: ConvGeometry = { label, ...g, S: 1, chunk: 1 };
  const wv = weightVec4s(geo);
  requireBinding(label, `the weight (${g.Cs} x ${g.KH}x${g.KW}x${g.Cb})`, wv * 16, lim);
  const M = g.N * g.Hs * g.Ws;
  const items = wv / 4 + ceil4(Math.max(g.Cs, g.Cb)) / 4;
  let S = splits ?? Math.min(Math.ceil(SPLIT_TARGET / items), Math.ceil(M / MIN_CHUNK), Math.floor(SPLIT_BYTES / (wv * 16)));
  S = Math.max(1, Math.min(S, M));
  const chunk = Math.ceil(M / S);
  geo.S = Math.ceil(M / chunk);
  geo.chunk = chunk;
  requireWorkgroups(label, `the weight gradient (${items} invocations per split)`, Math.ceil(items / 64), lim);
  requireWorkgroups(label, `the weight-gradient splits`, geo.S, lim);
  // every data kernel's grid, so a layer that builds can also run
  linearGrid(label, Math.ceil(M / 4) * (ceil4(g.Cs) / 4), lim);
  linearGrid(label, g.N * g.Hb * g.stride * Math.ceil(Math.ceil(g.Wb / g.stride) / 4) * (ceil4(g.Cb) / 4), lim);
  return geo;
}

/** Checks a conv layer and derives its geometry; `splits` overrides the weight-gradient split (tests). */
export function planConv2d(s: Conv2dShape, lim: Limits, splits?: number): ConvGeometry {
  const label = `conv2d(${s.Cin}->${s.Cout}, ${s.KH}x${s.KW}, stride ${s.stride}, pad ${s.pad})`;
  requireInts(label, s as unknown as Record<string, number>, ['N', 'Cin', 'H', 'W', 'Cout', 'KH', 'KW', 'stride'], 1);
  requireInts(label, s as unknown as Record<string, number>, ['pad'], 0);
  if (s.KH > s.H + 2 * s.pad) fail(`${label}: kernel height ${s.KH} is larger than the padded input height H + 2*pad = ${s.H + 2 * s.pad}`);
  if (s.KW > s.W + 2 * s.pad) fail(`${label}: kernel width ${s.KW} is larger than the padded input width W + 2*pad = ${s.W + 2 * s.pad}`);
  const Ho = convOutputSize(s.H, s.KH, s.stride, s.pad), Wo = convOutputSize(s.W, s.KW, s.stride, s.pad);
  return finish(label, { N: s.N, Hb: s.H, Wb: s.W, Cb: s.Cin, Hs: Ho, Ws: Wo, Cs: s.Cout, KH: s.KH, KW: s.KW, stride: s.stride, pad: s.pad }, lim, splits);
}

/** Checks a transposed-conv layer (output size (H-1)*stride - 2*pad + K + outputPadding) and derives its geometry. */
export function planConvTranspose2d(s: ConvT2dShape, lim: Limits, splits?: number): ConvGeometry {
  const label = `conv_transpose2d(${s.Cin}->${s.Cout}, ${s.KH}x${s.KW}, stride ${s.stride}, pad ${s.pad}, outputPadding ${s.outputPadding})`;
  requireInts(label, s as unknown as Record<string, number>, ['N', 'Cin', 'H', 'W', 'Cout', 'KH', 'KW', 'stride'], 1);
  requireInts(label, s as unknown as Record<string, number>, ['pad', 'outputPadding'], 0);
  if (s.outputPadding >= s.stride) fail(`${label}: outputPadding ${s.outputPadding} must be smaller than stride ${s.stride}`);
  const Ho = convTransposeOutputSize(s.H, s.KH, s.stride, s.pad, s.outputPadding);
  const Wo = convTransposeOutputSize(s.W, s.KW, s.stride, s.pad, s.outputPadding);
  if (Ho < 1 || Wo < 1) fail(`${label}: output ${Ho}x${Wo} = (H-1)*stride - 2*pad + K + outputPadding is empty; reduce pad`);
  return finish(label, { N: s.N, Hb: Ho, Wb: Wo, Cb: s.Cout, Hs: s.H, Ws: s.W, Cs: s.Cin, KH: s.KH, KW: s.KW, stride: s.stride, pad: s.pad }, lim, splits);
}
