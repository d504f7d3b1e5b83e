// `node --import tsx bench/conv.ts [--batch 64] [--reps 5] [--out bench/results/conv.md]`: GFLOP/s
// of every pass of the CNN VAE's conv layers, ours against TensorFlow.js WebGPU on the same
// adapter (bench/page/conv_micro.ts). Not part of `npm test` or `npm run bench`.
import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { openHarness } from '../src/node/harness.ts';
import type { ConvRow } from './page/conv_micro.ts';

const opts = new Command('bench-conv')
  .option('--batch <n>', 'images per batch', '64')
  .option('--reps <n>', 'timed runs per pass (best kept)', '5')
  .option('--out <file>', 'also write the Markdown table here')
  .parse()
  .opts<{ batch: string; reps: string; out?: string }>();

const harness = await openHarness('bench/conv.html', { log: (l) => console.error(l) });
try {
  const info = await harness.call<{ adapter: { vendor: string; architecture: string; description: string }; tf: { version: string } }>('info');
  const rows = await harness.call<ConvRow[]>('conv', { batch: Number(opts.batch), reps: Number(opts.reps) });
  const f = (v: number, d = 2) => v.toFixed(d);
  const lines = [
    `Conv microbench: adapter ${info.adapter.vendor} ${info.adapter.architecture} ${info.adapter.description}, TF.js ${info.tf.version}, batch ${opts.batch}, best of ${opts.reps}, ${new Date().toISOString()}`,
    '',
    '| layer | pass | GFLOP | ours ms | TF.js ms | ours GFLOP/s | TF.js GFLOP/s | ours/TF.js | fwd max abs diff |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.layer} | ${r.pass} | ${f(r.gflop, 3)} | ${f(r.oursMs)} | ${f(r.tfMs)} | ${f(r.oursGflops)} | ${f(r.tfGflops)} | ${f(r.tfMs / r.oursMs)}x | ${r.maxDiff === undefined ? '' : r.maxDiff.toExponential(1)} |`),
  ];
  const total = (k: 'oursMs' | 'tfMs') => rows.reduce((a, r) => a + r[k], 0);
  lines.push('', `All passes: ours ${f(total('oursMs'))} ms, TF.js ${f(total('tfMs'))} ms (GFLOP counts every tap, edge taps included).`);
  const text = lines.join('\n') + '\n';
  console.log(text);
  if (opts.out) writeFileSync(opts.out, text);
} finally {
  await harness.close();
}
