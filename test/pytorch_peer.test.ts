// The PyTorch peer (bench/peers/pytorch_vae.py): valid Python; without torch it says so in JSON and
// exits 0 (a bench on a machine without torch completes); with torch (where installed) it times
// both models; and the bench renders either result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/node/project_root.ts';
import { pytorchRows, runPytorchPeer, type PytorchResults } from '../bench/pytorch_merge.ts';
import { tempDir } from './util/cli.ts';

const script = join(projectRoot, 'bench/peers/pytorch_vae.py');
// found, not imported: importing torch would load the whole library (seconds of CPU) for a yes or no
const hasTorch = spawnSync('python3', ['-c', 'import importlib.util, sys; sys.exit(importlib.util.find_spec("torch") is None)'], { encoding: 'utf8' }).status === 0;

test('the peer script compiles (python3 -m py_compile)', () => {
  // the compiled file goes to a temporary folder, never into the repository's bench/peers/
  const r = spawnSync('python3', ['-m', 'py_compile', script], { encoding: 'utf8', env: { ...process.env, PYTHONPYCACHEPREFIX: tempDir('pycache') } });
  assert.equal(r.status, 0, r.stderr);
});

test(`the peer ${hasTorch ? 'times both models with torch' : 'prints "torch not installed" JSON and exits 0 without torch'}`, () => {
  const json = join(tempDir('pytorch'), 'sub', 'peer.json');
  const r = spawnSync('python3', [script, '--quick', '--steps', '2', '--json', json], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const printed = JSON.parse(r.stdout) as PytorchResults;
  assert.deepEqual(JSON.parse(readFileSync(json, 'utf8')), printed, '--json writes what it prints');
  assert.equal(printed.peer, 'pytorch');
  if (!printed.available) {
    assert.ok(!hasTorch);
    assert.match(printed.reason, /^torch not installed/);
    assert.match(pytorchRows(printed), /PyTorch peer skipped: torch not installed/);
  } else {
    assert.deepEqual(printed.models.map((m) => m.model), ['gaussian', 't']);
    assert.ok(printed.models.every((m) => m.stepMs > 0 && Number.isFinite(m.meanLoss)));
  }
  assert.deepEqual(runPytorchPeer(script, { quick: true, steps: 2 }).available, printed.available);
});

test('bad arguments are one clear error; a missing interpreter is reported, not thrown', () => {
  const r = spawnSync('python3', [script, '--steps', '0'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--steps must be at least 1, got 0/);
  const none = runPytorchPeer(script, { quick: true, python: '/nonexistent/python3' });
  assert.equal(none.available, false);
  if (!none.available) assert.match(none.reason, /could not run python3/);
});

test('the bench renders a peer result beside ours', () => {
  const p: PytorchResults = { peer: 'pytorch', available: true, python: '3.12', torch: '2.11.0', device: 'cuda', deviceName: 'NVIDIA H200', threads: 16, quick: false, batch: 500, tf32: false,
    models: [{ model: 'gaussian', stepMs: 2, validMs: 0.5, steps: 20, stepGflop: 1.2, meanLoss: 540 }] };
  const md = pytorchRows(p, [{ model: 'gaussian', stepMs: 1 }], { steps: 110, valid: 10 });
  assert.match(md, /PyTorch 2\.11\.0 on cuda \(NVIDIA H200/);
  assert.match(md, /\| gaussian \| 2\.00 \| 600 \| 0\.500 \| 0\.225 \| 20 \| 540 \|/);
  assert.match(md, /ours 1\.00 ms\/step, PyTorch 2\.00 ms \(ours 2\.00x faster\)/);
});
