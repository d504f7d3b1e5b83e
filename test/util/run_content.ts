// For the tests that hand the CLIs a hostile run: a run as a run file holds it (src/io/run_file.ts),
// made up (two epochs of a made-up history, weights sin(i) / 10 of the config's size, Adam's
// moments when the config trains with Adam; `data` overrides the data record's fields), and the
// check that a CLI refused it in one line before any adapter started.
import assert from 'node:assert/strict';
import type { VaeConfig } from '../../src/model/vae_gpu.ts';
import { modelLayout } from '../../src/parts/model.ts';
import type { RunContent } from '../../src/io/run_file.ts';
import type { CliResult } from './cli.ts';

export function fakeRunContent(config: VaeConfig, data: Partial<RunContent['data']> = {}): RunContent {
  const n = modelLayout(config).bytes / 4;
  const params = Float32Array.from({ length: n }, (_, i) => Math.sin(i) / 10);
  const stats = (e: number) => ({ epoch: e, step: 2 * e, trainRe: 9 - e, trainKl: 1, trainLoss: 10 - e, validRe: 9, validKl: 1, validLoss: 10, seconds: 0.5 });
  return {
    config,
    state: { epoch: 2, step: 4, params, moments: config.optimizer.kind === 'adam' ? [params.map(() => 0), params.map(() => 0)] : [] },
    history: [stats(1), stats(2)],
    data: { splitSeed: 0, sizes: [55000, 5000, 10000], trainImages: 64, validImages: 64, ...data },
    epochs: 3,
  };
}

/** Refused with exactly one line (the project's own error), no stack trace, no adapter. */
export function oneLine(r: CliResult, re: RegExp): void {
  assert.equal(r.code, 1, `expected a refusal, got exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line expected:\n${r.stderr}`);
  assert.match(lines[0], /^error: /);
  assert.match(lines[0], re);
  assert.doesNotMatch(r.stdout + r.stderr, /adapter:/, 'refused before the adapter started');
}
