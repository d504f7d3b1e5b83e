// The five synthetic 2-D sets: sample means and covariances of 100,000 seeded draws against their
// definitions (the deck's formulas, typed out below independently of src/data/synthetic.ts: closed
// forms for the linear sets and the mixture; 1-D quadrature for the curves, figure 8 over
// U = Phi(Z) ~ Uniform(0, 1) so that no normal CDF is needed), within 5 standard errors; same
// seed -> same points; bad names refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generate, parseSyntheticName, SYNTHETIC_NAMES, syntheticSplit, type SyntheticName } from '../src/data/synthetic.ts';

type Moments = { mean: [number, number]; cov: [number, number, number] }; // cov: xx, xy, yy

/** Mean and covariance of f(s) + e, e ~ N(0, noiseVar I), for s with density w on [a, b] (midpoint rule). */
function curveMoments(f: (s: number) => [number, number], w: (s: number) => number, a: number, b: number, noiseVar: number): Moments {
  const n = 400000, h = (b - a) / n;
  let m0 = 0, m1 = 0, xx = 0, xy = 0, yy = 0;
  for (let i = 0; i < n; i++) {
    const s = a + (i + 0.5) * h, p = w(s) * h;
    const [x, y] = f(s);
    m0 += p * x; m1 += p * y; xx += p * x * x; xy += p * x * y; yy += p * y * y;
  }
  return { mean: [m0, m1], cov: [xx - m0 * m0 + noiseVar, xy - m0 * m1, yy - m1 * m1 + noiseVar] };
}

/** X = R(angle) diag(3, 1/3) Z + e, e ~ N(0, 0.2 I): covariance R diag(9, 1/9) R^T + 0.2 I. */
function linearMoments(angle: number): Moments {
  const c = Math.cos(angle), s = Math.sin(angle), a = 9, b = 1 / 9;
  return { mean: [0, 0], cov: [c * c * a + s * s * b + 0.2, c * s * (a - b), s * s * a + c * c * b + 0.2] };
}

/** Figure 8: u = 0.6 + 1.8 Phi(Z), X = [(sqrt2/2) cos u, sqrt2 cos u sin u] / (sin^2 u + 1) + e, e ~ N(0, 0.02 I).
 *  Phi(Z) is uniform on (0, 1), so u is uniform on (0.6, 2.4). */
const figure8Moments = () => curveMoments((u) => {
  const d = Math.sin(u) ** 2 + 1;
  return [(Math.sqrt(2) / 2) * Math.cos(u) / d, Math.sqrt(2) * Math.cos(u) * Math.sin(u) / d];
}, () => 1 / 1.8, 0.6, 2.4, 0.02);

/** Blobs: u = 2 pi / (1 + exp(-pi Z / 2)), t = 2 tanh(10u - 20 floor(u/2) - 10) + 4 floor(u/2) + 2,
 *  X = [cos t, sin t] + e, e ~ N(0, 0.2 I), Z ~ N(0, 1). */
const blobsMoments = () => curveMoments((z) => {
  const u = 2 * Math.PI / (1 + Math.exp(-Math.PI * z / 2)), k = Math.floor(u / 2);
  const t = 2 * Math.tanh(10 * u - 20 * k - 10) + 4 * k + 2;
  return [Math.cos(t), Math.sin(t)];
}, (z) => Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI), -12, 12, 0.2);

/** Mixture of thirds: component i = R(angle_i) Y + offset_i, Y ~ N(0, diag(3, 1/3)), no noise;
 *  angles 0, 2pi/3, pi/3; offsets (0, 3 sqrt3), (-3 sqrt3, -3 sqrt3/2), (3 sqrt3, -3 sqrt3/2). */
function mixtureMoments(): Moments {
  const r = 3 * Math.sqrt(3);
  const comps: [number, [number, number]][] = [[0, [0, r]], [2 * Math.PI / 3, [-r, -r / 2]], [Math.PI / 3, [r, -r / 2]]];
  const mean: [number, number] = [0, 0];
  const second = [0, 0, 0]; // E[x^2], E[xy], E[y^2]
  for (const [angle, [ox, oy]] of comps) {
    const c = Math.cos(angle), s = Math.sin(angle);
    const sxx = 3 * c * c + s * s / 3, sxy = c * s * (3 - 1 / 3), syy = 3 * s * s + c * c / 3;
    mean[0] += ox / 3; mean[1] += oy / 3;
    second[0] += (sxx + ox * ox) / 3; second[1] += (sxy + ox * oy) / 3; second[2] += (syy + oy * oy) / 3;
  }
  return { mean, cov: [second[0] - mean[0] ** 2, second[1] - mean[0] * mean[1], second[2] - mean[1] ** 2] };
}

const EXPECTED: Record<SyntheticName, () => Moments> = {
  isotropic: () => linearMoments(0),
  rotated: () => linearMoments(Math.PI / 3),
  figure8: figure8Moments,
  blobs: blobsMoments,
  mixture: mixtureMoments,
};

for (const name of SYNTHETIC_NAMES) {
  test(`${name}: sample mean and covariance match the formulas within 5 standard errors`, () => {
    const n = 100000, p = generate(name, n, 7);
    const x = (i: number) => p.values[2 * i], y = (i: number) => p.values[2 * i + 1];
    const want = EXPECTED[name]();
    let mx = 0, my = 0;
    for (let i = 0; i < n; i++) { mx += x(i); my += y(i); }
    mx /= n; my /= n;
    const prods = [(i: number) => (x(i) - mx) ** 2, (i: number) => (x(i) - mx) * (y(i) - my), (i: number) => (y(i) - my) ** 2];
    const stats = prods.map((f) => {
      let s = 0, s2 = 0;
      for (let i = 0; i < n; i++) { const v = f(i); s += v; s2 += v * v; }
      return { mean: s / n, se: Math.sqrt((s2 / n - (s / n) ** 2) / n) };
    });
    const check = (got: number, exp: number, se: number, what: string) => assert.ok(Math.abs(got - exp) <= 5 * se + 1e-9, `${name} ${what}: ${got} vs ${exp} (SE ${se})`);
    check(mx, want.mean[0], Math.sqrt(stats[0].mean / n), 'mean x');
    check(my, want.mean[1], Math.sqrt(stats[2].mean / n), 'mean y');
    ['cov xx', 'cov xy', 'cov yy'].forEach((w, k) => check(stats[k].mean, want.cov[k], stats[k].se, w));
  });
}

test('same seed gives the same points, another seed others; train, validation and test sets differ', () => {
  assert.deepEqual(generate('blobs', 50, 3).values, generate('blobs', 50, 3).values);
  assert.notDeepEqual(generate('blobs', 50, 3).values, generate('blobs', 50, 4).values);
  const s = syntheticSplit('rotated', 1, { train: 100, valid: 50, test: 60 });
  assert.deepEqual([s.train.count, s.valid.count, s.test.count], [100, 50, 60]);
  assert.notDeepEqual(s.train.values.subarray(0, 100), s.test.values.subarray(0, 100));
});

test('data names: synthetic:NAME parses; an unknown name is one clear error', () => {
  assert.equal(parseSyntheticName('synthetic:figure8'), 'figure8');
  assert.equal(parseSyntheticName('/data/mnist'), undefined);
  assert.throws(() => parseSyntheticName('synthetic:spiral'), /unknown synthetic data set "spiral" in --data synthetic:spiral \(expected synthetic:isotropic\|synthetic:rotated/);
});
