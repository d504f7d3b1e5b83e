// Texture packs (src/kernels/texture_pack.ts) both ways: the pack kernel (shaders/pack_texture.wgsl)
// in a bare compute pass, and copyBufferToTexture between passes (a DispatchEncoder,
// src/gpu/context.ts, as the trainer, evaluator and tuner encode). Either must lay the matrix's
// floats out as they lie, 256 texels a row, texel i at (i % 256, i / 256), and leave the rest of
// the last row untouched (0). Exact: a copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useHarness } from './util/harness.ts';

const harness = useHarness();

// (rows, cols): 300 texels (a whole row and a part), 256 (exactly one row), 6 (less than a row,
// cols 5 so the padding column is packed too); at a buffer offset of 256 bytes like a weight view
for (const [rows, cols] of [[25, 45], [16, 64], [3, 5]] as const) {
  for (const mode of ['dispatch', 'copy'] as const) {
    test(`texture pack by ${mode}: ${rows}x${cols} at offset 256`, async () => {
      const data = Float32Array.from({ length: rows * cols }, (_, i) => i + 0.5);
      const { texels, texture } = await harness().call<{ texels: number; texture: Float32Array }>('texturePack', { rows, cols, data, offset: 256, mode });
      const ld = Math.ceil(cols / 4) * 4;
      assert.equal(texels, (rows * ld) / 4);
      const want = new Float32Array(texture.length);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) want[r * ld + c] = data[r * cols + c];
      const bad = want.findIndex((v, i) => texture[i] !== v);
      assert.equal(bad, -1, `float ${bad} (texel ${Math.floor(bad / 4)}) is ${texture[bad]}, want ${want[bad]}`);
    });
  }
}
