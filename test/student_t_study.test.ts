// `npm start -- --study student-t-cnn` end to end with tiny sizes on a generated 28x28 image folder
// standing in for Fashion-MNIST (so the test needs no data outside the repository): CNN VAEs with
// the multivariate Gaussian and t priors over 2 seeds; the report has the imputation table with
// Welch verdicts (no reference columns: those are another system's), the 8x8 sample grids, loss
// curves; a Fashion-MNIST folder missing a file is one clear error before any model trains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { createRng } from '../src/rng.ts';
import { runCli, tempDir } from './util/cli.ts';

/** An IDX folder of `n` 28x28 images (blurred blobs) split into train and t10k files. */
function imageFolder(dir: string, n: number): void {
  mkdirSync(dir, { recursive: true });
  const r = createRng(7);
  const write = (prefix: string, count: number) => {
    const im = Buffer.alloc(16 + count * 784), lb = Buffer.alloc(8 + count);
    im.writeUInt32BE(0x803, 0); im.writeUInt32BE(count, 4); im.writeUInt32BE(28, 8); im.writeUInt32BE(28, 12);
    lb.writeUInt32BE(0x801, 0); lb.writeUInt32BE(count, 4);
    for (let k = 0; k < count; k++) {
      const cx = 6 + 16 * r.next(), cy = 6 + 16 * r.next(), s = 3 + 4 * r.next();
      for (let i = 0; i < 784; i++) {
        const d2 = ((i % 28) - cx) ** 2 + (Math.floor(i / 28) - cy) ** 2;
        im[16 + k * 784 + i] = Math.round(255 * Math.exp(-d2 / (2 * s * s)));
      }
      lb[8 + k] = r.int(10);
    }
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte`), im);
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), lb);
  };
  write('train', Math.round(n * 0.8));
  write('t10k', n - Math.round(n * 0.8));
}

test('student-t-cnn study: CNN VAEs, two priors, two seeds: table with Welch verdicts, 8x8 grids, loss curves', () => {
  const dir = tempDir('student-t');
  imageFolder(join(dir, 'fashion'), 2500);
  const out = join(dir, 'report');
  const r = runCli('src/cli/main.ts', ['--study', 'student-t-cnn', '--sets', 'fashion-mnist', '--nets', 'cnn', '--data', join(dir, 'fashion'),
    '--seeds', '2', '--epochs', '1', '--limit', '256', '--test-limit', '8', '--mwg-iterations', '10', '--out', out], 600_000);
  assert.equal(r.code, 0, `study failed:\n${r.stdout.slice(-3000)}\n${r.stderr}`);
  // the table's MwG row needs a chain, not the protocol's 150 steps: 10 (the last 5 averaged) run,
  // for each of the 4 models and 2 masks
  assert.equal(r.stdout.match(/Metropolis-within-Gibbs: 10 iterations/g)?.length, 8, r.stdout.slice(-3000));
  const md = readFileSync(join(out, 'report.md'), 'utf8');
  assert.match(md, /## fashion-mnist, CNN 32\/64\/128/);
  assert.match(md, /\| metric \| Gaussian VAE \(2 seeds\) \| t-prior VAE \(nu=21, multivariate\) \(2 seeds\) \| t-prior VAE \(nu=21, multivariate\) vs Gaussian \|/);
  assert.match(md, /random 30%: Metropolis-within-Gibbs MSE on missing \| \d\.\d{4} ± \d\.\d{4} \| \d\.\d{4} ± \d\.\d{4} \| (no clear difference|t-prior (better|worse)) \(p [=<] [\d.]+; Holm [=<] /);
  assert.ok(!md.includes('reference VAE'), 'the first document\'s reference columns do not belong to this study');
  // 2 seeds a side detect only differences of several seed sds: never "neither wins", no unmeasured finding
  assert.match(md, /against the Gaussian VAE \(2 seeds a side;[^)]*Holm-corrected across the 17 independent metrics[^)]*\): better on \d+, worse on \d+, no clear difference on \d+; .*at least \d+\.\d seed standard deviations/);
  assert.ok(!/neither prior wins|the project finds/.test(md), 'no verdict beyond what 2 seeds can tell, no finding the study did not measure');
  const sub = readFileSync(join(out, 'fashion-mnist', 'cnn', 'report.md'), 'utf8');
  assert.ok(!sub.includes('reference VAE'), 'nor in the per-set report\'s every-run table');
  assert.match(sub, /CNN 28x28x1 -> 14x14x32 -> 7x7x64 -> 4x4x128/);
  assert.match(sub, /software: scaled down|adapter/);
  for (const f of ['loss_curves.png', 'gaussian-vae_samples.png', 't-prior-vae-nu-21-multivariate_samples.png']) {
    const png = PNG.sync.read(readFileSync(join(out, 'fashion-mnist', 'cnn', f)));
    assert.ok(png.width > 100 && png.height > 100, f);
    if (f.endsWith('samples.png')) {
      // an 8x8 grid of 28x28 images: the side is 8 * 28 plus the gaps
      assert.equal(png.width, png.height, f);
      assert.ok(png.width >= 8 * 28 && png.width < 9 * 28 * 2 + 16 * 8, `${f}: ${png.width}`);
    }
  }
});

test('student-t-cnn study: a Fashion-MNIST folder missing a file, or an unknown network, is one clear error before any model trains', () => {
  const dir = tempDir('student-t-bad');
  imageFolder(join(dir, 'fashion'), 200);
  rmSync(join(dir, 'fashion', 't10k-labels-idx1-ubyte'));
  const out = join(dir, 'report');
  const r = runCli('src/cli/main.ts', ['--study', 'student-t-cnn', '--data', join(dir, 'fashion'), '--out', out]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /fashion: no t10k-labels file; looked for t10k-labels-idx1-ubyte/);
  assert.ok(!existsSync(join(out, 'mnist')), 'no model trained');
  const r2 = runCli('src/cli/main.ts', ['--study', 'student-t-cnn', '--nets', 'cnn,rnn', '--out', out]);
  assert.notEqual(r2.code, 0);
  assert.match(r2.stderr, /--nets: unknown "rnn"; known: fc, cnn/);
  // --mwg-iterations where no MwG runs is refused, not ignored (its values: eval_cli.test.ts)
  const fresh = join(dir, 'report-mwg');
  const r3 = runCli('src/cli/main.ts', ['--study', 'latent-size', '--mwg-iterations', '10', '--out', fresh]);
  assert.notEqual(r3.code, 0);
  assert.match(r3.stderr, /--mwg-iterations applies to the reference and student-t-cnn studies, not --study latent-size/);
  assert.ok(!existsSync(fresh), 'nothing written');
});
