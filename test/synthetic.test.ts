// The five synthetic 2-D sets: sample means and covariances of 100,000 seeded draws against the
// formulas (closed forms for the linear sets and the mixture; 1-D quadrature over Z ~ N(0, 1) for
// the curves), within 5 standard errors; same seed -> same points; bad names refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blobs, figure8, generate, GENERATORS, MIXTURE, parseSyntheticName, SYNTHETIC_NAMES, syntheticSplit, type SyntheticName } from '../src/data/synthetic.ts';

type Moments = { mean: [number, number]; cov: [number, number, number] }; // cov: xx, xy, yy

/** E over Z ~ N(0,1) of the curve's point and its outer product, by the midpoint rule on [-12, 12]. */
function curveMoments(f: (z: number) => [number, number], noiseVar: number): Moments {
  const n = 400000, a = -12, h = 24 / n;
  let m0 = 0, m1 = 0, xx = 0, xy = 0, yy = 0;
  for (let i = 0; i < n; i++) {
    const z = a + (i + 0.5) * h, w = (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)) * h;
    const [x, y] = f(z);
    m0 += w * x; m1 += w * y; xx += w * x * x; xy += w * x * y; yy += w * y * y;
  }
  return { mean: [m0, m1], cov: [xx - m0 * m0 + noiseVar, xy - m0 * m1, yy - m1 * m1 + noiseVar] };
}

function linearMoments(angle: number): Moments {
  const c = Math.cos(angle), s = Math.sin(angle), a = 9, b = 1 / 9; // variances 3^2 and (1/3)^2
  return { mean: [0, 0], cov: [c * c * a + s * s * b + 0.2, c * s * (a - b), s * s * a + c * c * b + 0.2] };
}

function mixtureMoments(): Moments {
  // component i: rotation of Y ~ N(0, diag(3, 1/3)) plus an offset; the means come from the offsets
  const comps = MIXTURE.map((f) => {
    const m = f(0, 0), e1 = f(1, 0), e2 = f(0, 1);
    const c1 = [e1[0] - m[0], e1[1] - m[1]], c2 = [e2[0] - m[0], e2[1] - m[1]]; // the rotation's columns
    return { m, cov: [3 * c1[0] ** 2 + c2[0] ** 2 / 3, 3 * c1[0] * c1[1] + (c2[0] * c2[1]) / 3, 3 * c1[1] ** 2 + c2[1] ** 2 / 3] };
  });
  const mean: [number, number] = [0, 1].map((k) => comps.reduce((a, c) => a + c.m[k], 0) / 3) as [number, number];
  const second = (i: number, j: number, k: number) => comps.reduce((a, c) => a + c.cov[k] + c.m[i] * c.m[j], 0) / 3 - mean[i] * mean[j];
  return { mean, cov: [second(0, 0, 0), second(0, 1, 1), second(1, 1, 2)] };
}

const EXPECTED: Record<SyntheticName, () => Moments> = {
  isotropic: () => linearMoments(0),
  rotated: () => linearMoments(Math.PI / 3),
  figure8: () => curveMoments(figure8, GENERATORS.figure8.noiseVar),
  blobs: () => curveMoments(blobs, GENERATORS.blobs.noiseVar),
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
