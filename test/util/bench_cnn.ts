// Checks of the bench's CNN sections (6: conv layers, 7: CNN training step) shared by the Chromium
// and the Node smoke tests: every layer's three passes present with the plan's shapes, timings
// finite and positive, the step's FLOPs equal to its conv passes plus its two dense layers, both
// priors on both sides, the TF.js peer computing a loss like ours. Never a speed check.
import assert from 'node:assert/strict';
import type { BenchResults } from '../../bench/results_types.ts';

const positive = (v: number | undefined, what: string) => assert.ok(v !== undefined && Number.isFinite(v) && v > 0, `${what} = ${v}`);

export function assertCnnSections(res: BenchResults, withTf: boolean): void {
  const p = res.meta.plan.cnn, im = p.net.image, n = p.net.channels.length;
  const layers = [...Array.from({ length: n }, (_, i) => `encoder.conv${i}`), ...Array.from({ length: n }, (_, j) => `decoder.deconv${j}`)];
  const passes = ['forward', 'backwardData', 'backwardWeight'];
  assert.deepEqual(res.conv.map((c) => `${c.layer} ${c.pass}`), layers.flatMap((l) => passes.map((q) => `${l} ${q}`)), 'one row per pass of every conv layer, in forward order');
  // the encoder starts at the image and the decoder ends there: "1->32 3x3/2 28x28->14x14", "... 14x14->28x28"
  assert.match(res.conv[0].shape, new RegExp(`^${im.channels}->${p.net.channels[0]} .* ${im.height}x${im.width}->`));
  assert.match(res.conv[res.conv.length - 1].shape, new RegExp(`->${im.channels} .*->${im.height}x${im.width}$`));
  for (const c of res.conv) {
    const what = `${c.layer} ${c.pass}`;
    assert.equal(c.batch, p.batch, what);
    positive(c.gflop, `${what} gflop`);
    positive(c.oursMs, `${what} oursMs`);
    assert.ok(Math.abs(c.oursGflops - c.gflop / (c.oursMs / 1000)) <= 1e-9 * c.oursGflops, `${what}: GFLOP/s is GFLOP over time`);
    if (withTf) {
      positive(c.tfMs, `${what} tfMs`);
      assert.ok(c.relDiff !== undefined && c.relDiff >= 0 && c.relDiff <= 1e-3, `${what}: checked against TF.js (rel. diff ${c.relDiff})`);
    } else assert.ok(c.tfMs === undefined && c.relDiff === undefined, `${what}: no TF.js numbers without TF.js`);
  }

  assert.deepEqual(res.cnn.map((c) => c.model), ['gaussian', 't']);
  // one step = every conv pass but the gradient into the image, plus 3 GEMMs of each dense layer
  const last = p.net.channels[n - 1], top = (f: (s: number) => number) => { let h = im.height; for (let i = 0; i < n; i++) h = f(h); return h; };
  const flat = top((h) => Math.floor((h + 2 * p.net.pad - p.net.kernel) / p.net.stride) + 1) ** 2 * last;
  const dense = 3 * 2 * p.batch * flat * (2 * p.latent + p.latent);
  const conv = res.conv.filter((c) => !(c.layer === 'encoder.conv0' && c.pass === 'backwardData')).reduce((s, c) => s + c.gflop * 1e9, 0);
  for (const c of res.cnn) {
    assert.equal(c.batch, p.batch);
    assert.ok(Math.abs(c.stepGflop * 1e9 - (conv + dense)) <= 1e-6 * (conv + dense), `${c.model}: step FLOPs ${c.stepGflop * 1e9} vs conv passes + dense layers ${conv + dense}`);
    for (const [name, s] of [['ours', c.ours], ...(c.tf ? [['tf', c.tf] as const] : [])] as const) {
      positive(s.stepMs, `${c.model} ${name} stepMs`);
      positive(s.validMs, `${c.model} ${name} validMs`);
      assert.ok(Math.abs(s.imagesPerS - p.batch / (s.stepMs / 1000)) <= 1e-9 * s.imagesPerS, `${c.model} ${name}: images/s`);
      assert.ok(Number.isFinite(s.meanLoss), `${c.model} ${name} mean loss ${s.meanLoss}`);
    }
    if (withTf) {
      assert.ok(c.tf, `${c.model}: TF.js step missing`);
      // same layers and initial weights, different noise: the losses agree roughly, not exactly
      assert.ok(Math.abs(c.tf.meanLoss - c.ours.meanLoss) <= 0.25 * c.ours.meanLoss, `${c.model}: TF.js mean loss ${c.tf.meanLoss} vs ours ${c.ours.meanLoss}`);
    } else assert.equal(c.tf, undefined);
  }
}
