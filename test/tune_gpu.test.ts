// The tuner on the harness's adapter (src/tune/measure.ts): every variant that fits is checked
// against the fallback, timed and one kept; a variant with a wrong result is excluded with the
// element that disagrees. Which variant wins is the adapter's business, so only membership is
// asserted. Small shapes: the run takes seconds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TuneResult } from '../src/tune/measure.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();

test('tuning times every fitting variant of each GEMM family and keeps one of them', async () => {
  const shape = { M: 37, N: 21, K: 70 };
  const { results, choices } = await harness().call<{ results: TuneResult[]; choices: Record<string, string> }>('tuneGemms', shape);
  assert.deepEqual(results.map((r) => r.family), ['gemm_xwt', 'gemm_dyw', 'gemm_dytx']);
  const subgroups = harness().adapter.features?.includes('subgroups') && (harness().adapter.subgroupSize ?? 0) >= 4;
  for (const r of results) {
    assert.equal(r.shape, '37x21x70');
    // the harness's adapters are CPUs: the GPU-only variants are not timed (src/tune/cpu_adapter.ts)
    for (const name of ['tiled.64', 'tiled.128']) assert.match(r.excluded[name] ?? '', /not timed on a CPU adapter/, `${r.family} ${name}`);
    const cpuRule = (name: string) => name.startsWith('tiled.');
    // on an adapter with fixed subgroups every other variant fits, and none may disagree with the fallback
    if (subgroups) assert.deepEqual(Object.keys(r.excluded).filter((n) => !cpuRule(n)), [], `${r.family}: excluded ${JSON.stringify(r.excluded)}`);
    for (const why of Object.values(r.excluded)) assert.doesNotMatch(why, /wrong result/, `${r.family}: ${why}`);
    const timed = Object.keys(r.ms);
    if (!subgroups && timed.length === 0) {
      // only the fallback fits (every other variant needs subgroups, which a compatibility-mode
      // adapter lacks: Chromium on lavapipe): there is nothing to time, and the fallback is kept
      assert.equal(r.chosen, 'base', `${r.family}: chose ${r.chosen} untimed`);
      assert.ok(Object.keys(r.excluded).length > 0, `${r.family}: no variant timed, yet none excluded`);
    } else {
      assert.ok(timed.includes('base'), `${r.family}: the fallback is always timed`);
      assert.ok(timed.includes(r.chosen), `${r.family}: chose ${r.chosen} among ${timed.join(', ')}`);
    }
    for (const ms of Object.values(r.ms)) assert.ok(ms > 0 && Number.isFinite(ms), `${r.family}: time ${ms}`);
    assert.equal(choices[`${r.family}|37x21x70`], r.chosen);
  }
});

test('GEMMs too small to gain from tuning are left to the fallback, unmeasured', async () => {
  assert.equal(await harness().call<number>('tuneSmall', { M: 37, N: 21, K: 70 }), 0);
});

test('a variant whose result disagrees with the fallback is excluded, never timed', async () => {
  const r = await harness().call<TuneResult>('tuneWithWrongVariant', { M: 9, N: 6, K: 5 });
  assert.match(r.excluded['no-relu'] ?? '', /^wrong result: element \d+ is .*, the fallback gives /);
  assert.deepEqual(Object.keys(r.ms), ['base']);
  assert.equal(r.chosen, 'base');
});
