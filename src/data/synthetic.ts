// The five synthetic 2-D data sets of the diagonal-vs-full-covariance lecture, generated from a
// seeded generator. "N(0, s I)" in the deck is read as covariance s I (variance s per axis).
//   isotropic  Z ~ N(0, I2), X = diag(3, 1/3) Z + e,            e ~ N(0, 0.2 I)
//   rotated    X = R(pi/3) diag(3, 1/3) Z + e,                  e ~ N(0, 0.2 I)
//   figure8    Z ~ N(0, 1), u = 0.6 + 1.8 Phi(Z),
//              X = [(sqrt2/2) cos u / (sin^2 u + 1), sqrt2 cos u sin u / (sin^2 u + 1)] + e,  e ~ N(0, 0.02 I)
//   blobs      Z ~ N(0, 1), u = 2 pi / (1 + exp(-pi Z / 2)),
//              t = 2 tanh(10u - 20 floor(u/2) - 10) + 4 floor(u/2) + 2, X = [cos t, sin t] + e,  e ~ N(0, 0.2 I)
//   mixture    Y_i ~ N(0, diag(3, 1/3)); X1 = Y1 + (0, 3 sqrt3), X2 = R(2pi/3) Y2 + (-3 sqrt3, -3 sqrt3 / 2),
//              X3 = R(pi/3) Y3 + (3 sqrt3, -3 sqrt3 / 2), the component chosen by thirds of a uniform latent
// Sizes and epochs are the deck's (train / test): 20,000 / 10,000 for the first two, 40,000 / 20,000
// for the others; validation sets (ours; the deck has none) are 2,000 points drawn apart.
import { fail } from '../errors.ts';
import { normalCdf } from '../stats/special.ts';
import { createRng } from '../rng.ts';

export const SYNTHETIC_NAMES = ['isotropic', 'rotated', 'figure8', 'blobs', 'mixture'] as const;
export type SyntheticName = (typeof SYNTHETIC_NAMES)[number];

export interface SyntheticSpec {
  train: number;
  test: number;
  epochs: number;
}

export const SYNTHETIC: Record<SyntheticName, SyntheticSpec> = {
  isotropic: { train: 20000, test: 10000, epochs: 20 },
  rotated: { train: 20000, test: 10000, epochs: 50 },
  figure8: { train: 40000, test: 20000, epochs: 200 },
  blobs: { train: 40000, test: 20000, epochs: 200 },
  mixture: { train: 40000, test: 20000, epochs: 400 },
};
export const SYNTHETIC_VALID = 2000;

/** A real-valued data set: count points of D values, row-major. */
export interface PointSet {
  values: Float32Array;
  count: number;
  D: number;
}

const rot = (a: number, x: number, y: number): [number, number] => [Math.cos(a) * x - Math.sin(a) * y, Math.sin(a) * x + Math.cos(a) * y];

/** The noiseless point for one draw of the latent(s), and the noise variance per axis. */
export const GENERATORS: Record<SyntheticName, { noiseVar: number; point(r: ReturnType<typeof createRng>): [number, number] }> = {
  isotropic: { noiseVar: 0.2, point: (r) => [3 * r.normal(), r.normal() / 3] },
  rotated: { noiseVar: 0.2, point: (r) => rot(Math.PI / 3, 3 * r.normal(), r.normal() / 3) },
  figure8: { noiseVar: 0.02, point: (r) => figure8(r.normal()) },
  blobs: { noiseVar: 0.2, point: (r) => blobs(r.normal()) },
  mixture: {
    noiseVar: 0,
    point(r) {
      const c = Math.min(2, Math.floor(3 * r.next()));
      const y1 = Math.sqrt(3) * r.normal(), y2 = r.normal() / Math.sqrt(3);
      return MIXTURE[c](y1, y2);
    },
  },
};

export function figure8(z: number): [number, number] {
  const u = 0.6 + 1.8 * normalCdf(z), s = Math.sin(u), c = Math.cos(u), d = s * s + 1;
  return [(Math.SQRT2 / 2) * c / d, Math.SQRT2 * c * s / d];
}

export function blobs(z: number): [number, number] {
  const u = (2 * Math.PI) / (1 + Math.exp((-Math.PI * z) / 2));
  const f = Math.floor(u / 2);
  const t = 2 * Math.tanh(10 * u - 20 * f - 10) + 4 * f + 2;
  return [Math.cos(t), Math.sin(t)];
}

const S3 = 3 * Math.sqrt(3);
export const MIXTURE: ((y1: number, y2: number) => [number, number])[] = [
  (y1, y2) => [y1, y2 + S3],
  (y1, y2) => { const [a, b] = rot((2 * Math.PI) / 3, y1, y2); return [a - S3, b - S3 / 2]; },
  (y1, y2) => { const [a, b] = rot(Math.PI / 3, y1, y2); return [a + S3, b - S3 / 2]; },
];

export function parseSyntheticName(data: string): SyntheticName | undefined {
  if (!data.startsWith('synthetic:')) return undefined;
  const name = data.slice('synthetic:'.length);
  if (!(SYNTHETIC_NAMES as readonly string[]).includes(name)) fail(`unknown synthetic data set "${name}" in --data ${data} (expected synthetic:${SYNTHETIC_NAMES.join('|synthetic:')})`);
  return name as SyntheticName;
}

/** n points of the named set from the seeded generator. */
export function generate(name: SyntheticName, n: number, seed: number): PointSet {
  const g = GENERATORS[name] ?? fail(`unknown synthetic data set "${name}"`);
  if (!Number.isInteger(n) || n < 1) fail(`a synthetic set needs a whole number of points >= 1, got ${n}`);
  const r = createRng(seed);
  const sd = Math.sqrt(g.noiseVar);
  const values = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const [a, b] = g.point(r);
    values[2 * i] = a + sd * r.normal();
    values[2 * i + 1] = b + sd * r.normal();
  }
  return { values, count: n, D: 2 };
}

/** Train, validation and test sets of the named set, each from its own stream of the seed. */
export function syntheticSplit(name: SyntheticName, seed: number, sizes?: { train?: number; valid?: number; test?: number }): { train: PointSet; valid: PointSet; test: PointSet } {
  const spec = SYNTHETIC[name];
  return {
    train: generate(name, sizes?.train ?? spec.train, seed * 3 + 1),
    valid: generate(name, sizes?.valid ?? SYNTHETIC_VALID, seed * 3 + 2),
    test: generate(name, sizes?.test ?? spec.test, seed * 3 + 3),
  };
}
