// test/util/compiled.ts: npm test's compiled test files and CLIs, and the tsx fallback for a file
// run alone. The compile itself runs at the start of every npm test; here it is checked that a
// compiled CLI runs and that the paths map as the runners expect.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../src/node/project_root.ts';
import { compiledScript, compileTests, COMPILED_ENV, nodeArgs, removeCompiled } from './util/compiled.ts';

test('without a compiled tree every script runs through tsx; with one, its compiled form, source maps on', () => {
  assert.deepEqual(nodeArgs('src/cli/train.ts', ['--epochs', '1'], [], {}), ['--import', 'tsx', join(projectRoot, 'src/cli/train.ts'), '--epochs', '1']);
  const dir = compileTests();
  try {
    const env = { [COMPILED_ENV]: dir };
    assert.equal(compiledScript('src/cli/train.ts', env), join(dir, 'src/cli/train.mjs'));
    assert.equal(compiledScript('test/gemm.test.ts', env), join(dir, 'test/gemm.test.mjs'));
    assert.deepEqual(nodeArgs('src/cli/train.ts', ['--help'], ['--expose-gc'], env), ['--expose-gc', '--enable-source-maps', join(dir, 'src/cli/train.mjs'), '--help']);
    // a file that imports TypeScript by a computed path keeps tsx; a script never compiled too
    assert.equal(compiledScript('test/mutants_apply.test.ts', env), undefined);
    assert.equal(compiledScript('scripts/setup.ts', env), undefined);
    // the compiled CLI runs from its folder and finds the project (TVAE_ROOT) and its packages
    const r = spawnSync(process.execPath, nodeArgs('src/cli/train.ts', ['--help'], [], env), { env: { ...process.env, TVAE_ROOT: projectRoot }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /--epochs/);
  } finally {
    removeCompiled(dir);
  }
  assert.ok(!existsSync(dir));
});
