// Texture packs (src/kernels/texture_pack.ts) against the layout the texture GEMM variants read,
// written out here: texel i of a matrix's binding (rows of ld = ceil4(cols) floats, allocRows
// rows) holds floats 4i .. 4i+3 at texture position (i % 256, i / 256), and the rest of the
// texture stays 0. Both ways a pack runs: the pack kernel (shaders/pack_texture.wgsl) inside a
// compute pass, and the copy commands (copyBufferToTexture: whole rows, then the partial last row)
// that training, evaluation and the tuner encode through a PassEncoder. Exact (a copy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../src/rng.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();

// 9 texels (a partial row only), 280 (a full row and 24 more), 256 (exactly one row), and 500x784
// (392 rows, no tail; the reference model's input)
for (const [rows, cols] of [[3, 10], [70, 16], [64, 16], [500, 784]] as const) {
  test(`pack_texture: ${rows}x${cols}, by the kernel and by copies, texel i at (i % 256, i / 256)`, async () => {
    const r = createRng(rows * 1000 + cols);
    const data = Float32Array.from({ length: rows * cols }, () => r.next() * 2 - 1);
    for (const via of ['kernel', 'copy'] as const) {
      const got = await harness().call<{ texels: Float32Array; ld: number; allocRows: number }>('packTexture', { rows, cols, data, via });
      const want = new Float32Array(got.texels.length);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) want[i * got.ld + j] = data[i * cols + j];
      assert.equal(got.ld, Math.ceil(cols / 4) * 4);
      assert.ok(got.texels.length >= got.allocRows * got.ld, `${via}: the texture holds the whole binding`);
      const bad = want.findIndex((v, k) => got.texels[k] !== v);
      assert.equal(bad, -1, `${via}: float ${bad} (texel ${bad >> 2}) is ${got.texels[bad]}, expected ${want[bad]}`);
    }
  });
}
