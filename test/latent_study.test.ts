// `npm start -- --study latent-size` end to end with tiny sizes (latent 2 only, one seed): the
// table (every model, NELBO >= -log p(x)), the pictures linked from the report; and the trained
// conditional VAE's analogy decoding really depends on the label (fails if the label is ignored).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRun } from '../src/eval/load_run.ts';
import { openWorker } from '../src/node/worker.ts';
import { runCli, tempDir } from './util/cli.ts';

const out = join(tempDir('latent'), 'study');

test('the latent-size study writes its report: table, manifold, scatter, CVAE grids', () => {
  const r = runCli('src/cli/main.ts', ['--study', 'latent-size', '--latents', '2', '--seeds', '1', '--epochs', '1', '--limit', '600', '--test-limit', '100', '--out', out], 900_000);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const md = readFileSync(join(out, 'report.md'), 'utf8');
  for (const name of ['Gaussian prior, latent 2', 't prior \\(nu=21\\), latent 2', 'Gaussian decoder \\(variance 0.1\\), latent 2', 'Gaussian decoder \\(learned variance\\), latent 2', 'conditional VAE, latent 2']) {
    // the -log p(x|y) column holds a value for the conditional VAE only
    assert.match(md, new RegExp(`\\| ${name} \\| -?\\d+\\.\\d{2} \\| -?\\d+\\.\\d{2} \\| (-?\\d+\\.\\d{2})? \\| 0\\.\\d{4} \\| 0\\.\\d{4} \\|`), name);
  }
  assert.match(md, /The lecture finds that larger latents reconstruct better\. Here the Gaussian-prior reconstruction MSE over latents 2 is/);
  for (const png of ['manifold_gaussian-L2.png', 'manifold_t21-L2.png', 'cvae_analogies.png', 'cvae_class_samples.png', 'latent_scatter.png']) {
    assert.ok(existsSync(join(out, png)), `${png} missing`);
    assert.ok(md.includes(`(${png})`), `${png} not linked`);
  }
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { model: string; nelbo: number; iw: number; iwGivenLabel?: number }[];
  assert.equal(results.length, 5);
  // the CVAE's NELBO bounds -log p(x|y), its own bound; its -log p(x) sums over the labels
  for (const x of results) assert.ok(Number.isFinite(x.iw) && x.nelbo >= (x.iwGivenLabel ?? x.iw) - 1e-6, JSON.stringify(x));
});

test('the trained CVAE decodes one z differently for each label (the label input is used)', async () => {
  const run = loadRun(join(out, 'cvae-L2-seed1'));
  assert.equal(run.config.classes, 10);
  const w = await openWorker();
  try {
    await w.call('boundsInit', { config: run.config, params: run.params });
    const z = new Float32Array(20).fill(0.3); // one z, ten labels
    const labels = Uint32Array.from({ length: 10 }, (_, k) => k);
    const img = await w.call<Float32Array>('decode', { z, n: 10, labels });
    const D = img.length / 10;
    let least = Infinity;
    for (let a = 0; a < 10; a++) {
      for (let b = a + 1; b < 10; b++) {
        let d = 0;
        for (let i = 0; i < D; i++) d += Math.abs(img[a * D + i] - img[b * D + i]) / D;
        least = Math.min(least, d);
      }
    }
    // logits differ by the label's learned column of the decoder's first layer, through the net
    assert.ok(least > 1e-3, `two labels decode the same z almost alike (mean |logit difference| ${least})`);
  } finally {
    await w.close();
  }
});
