// The WGSL include step (src/gpu/shader_include.ts): what it expands, and the one clear error for
// each way an include can be wrong. Pure text; no adapter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildShaderLibrary, byFileName, expandIncludes } from '../src/gpu/shader_include.ts';

const lib = { philox: 'fn philox() {}\n', logistic: 'fn sigmoid() {}\n' };

test('an include line is replaced by the shared file, marked where it starts and ends', () => {
  const out = expandIncludes('k', 'a\n// #include "lib/philox.wgsl"\n  // #include "lib/logistic.wgsl"\nb', lib);
  assert.equal(out, 'a\n// ---- lib/philox.wgsl ----\nfn philox() {}\n// ---- end of lib/philox.wgsl ----\n// ---- lib/logistic.wgsl ----\nfn sigmoid() {}\n// ---- end of lib/logistic.wgsl ----\nb');
  assert.equal(expandIncludes('k', 'no includes\n// a comment about #includes\n', lib), 'no includes\n// a comment about #includes\n');
});

test('an unknown shared file is refused naming the shader, the line and what there is', () => {
  assert.throws(() => expandIncludes('k', 'x\n// #include "lib/rng.wgsl"', lib), /^TvaeError: shaders\/k\.wgsl:2: includes lib\/rng\.wgsl, which is not in shaders\/lib\/ \(there: logistic\.wgsl, philox\.wgsl\)$/);
});

test('a malformed or out-of-lib include is refused, never left as a silent comment', () => {
  for (const line of ['// #include lib/philox.wgsl', '// #include "philox.wgsl"', '//#include "lib/philox.wgsl"', '// # include "lib/philox.wgsl"', '// #include "lib/../x.wgsl"', '// #include "lib/philox.wgsl" extra']) {
    assert.throws(() => expandIncludes('k', line, lib), /shaders\/k\.wgsl:1: malformed include/, line);
  }
});

test('the same file twice in one shader is refused', () => {
  assert.throws(() => expandIncludes('k', '// #include "lib/philox.wgsl"\n// #include "lib/philox.wgsl"', lib), /shaders\/k\.wgsl:2: includes lib\/philox\.wgsl a second time/);
});

test('a shared file that includes another is refused (one level, no recursion)', () => {
  const nested = { ...lib, loop: 'fn f() {}\n// #include "lib/loop.wgsl"\n' };
  assert.throws(() => buildShaderLibrary({ k: 'x' }, nested), /shaders\/lib\/loop\.wgsl:2: a shared file includes nothing/);
});

test('the library maps loader paths to names and expands every shader', () => {
  const built = buildShaderLibrary(byFileName({ '../../shaders/k.wgsl': '// #include "lib/philox.wgsl"' }), byFileName({ '../../shaders/lib/philox.wgsl': 'P' }));
  assert.deepEqual(built, { k: '// ---- lib/philox.wgsl ----\nP\n// ---- end of lib/philox.wgsl ----' });
});
