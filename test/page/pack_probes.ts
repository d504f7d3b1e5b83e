// Texture packs (src/kernels/texture_pack.ts) read back for test/texture_pack.test.ts: a matrix
// view at a buffer offset (as the weights are views of one block) packed either by the pack
// kernel inside a bare compute pass or by copyBufferToTexture through a DispatchEncoder.
import { dispatchEncoder, encodeDispatches, type GpuContext } from '../../src/gpu/context.ts';
import { createBuffer, writeMatrix, type GpuMatrix } from '../../src/gpu/matrix.ts';
import { packedMatrix, PACK_WIDTH, texelCount } from '../../src/kernels/texture_pack.ts';

export function packProbes(ctx: GpuContext) {
  return {
    async texturePack(a: { rows: number; cols: number; data: Float32Array; offset: number; mode: 'dispatch' | 'copy' }) {
      const ld = Math.ceil(a.cols / 4) * 4;
      const buffer = createBuffer(ctx, a.offset + a.rows * ld * 4, 'pack.src');
      const m: GpuMatrix = { label: 'pack.src', buffer, offset: a.offset, rows: a.rows, cols: a.cols, ld, allocRows: a.rows };
      writeMatrix(ctx, m, a.data);
      const { view, pack } = packedMatrix(ctx, m, 'probe');
      const texels = texelCount(m), height = Math.max(1, Math.ceil(texels / PACK_WIDTH));
      const enc = ctx.device.createCommandEncoder();
      if (a.mode === 'copy') {
        const passes = dispatchEncoder(enc);
        encodeDispatches(passes, [pack]);
        passes.end();
      } else {
        const pass = enc.beginComputePass();
        encodeDispatches(pass, [pack]);
        pass.end();
      }
      const out = ctx.device.createBuffer({ size: height * PACK_WIDTH * 16, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
      const texture = pack.texelCopy!.texture;
      if (view === undefined || texture === undefined) throw new Error('pack has no texture');
      enc.copyTextureToBuffer({ texture }, { buffer: out, bytesPerRow: PACK_WIDTH * 16, rowsPerImage: height }, [PACK_WIDTH, height]);
      ctx.device.queue.submit([enc.finish()]);
      await ctx.settle(out.mapAsync(GPUMapMode.READ));
      const texture32 = new Float32Array(out.getMappedRange().slice(0));
      out.destroy();
      buffer.destroy();
      texture.destroy();
      return { texels, texture: texture32 };
    },
  };
}
