// Probes for the tuner on the harness's adapter (test/tune_gpu.test.ts): a real tuning run at
// small shapes, and one with a variant that gives a wrong result, which the check must exclude.
import type { GpuContext } from '../../src/gpu/context.ts';
import { GEMM_FAMILIES, GEMM_XWT } from '../../src/kernels/gemm.ts';
import type { Family } from '../../src/tune/family.ts';
import { tune, tuneOne, type TuneResult } from '../../src/tune/measure.ts';
import { emptyKernelTable } from '../../src/tune/table.ts';

export function tuneProbes(ctx: GpuContext) {
  return {
    /** Tunes every family at one shape on a fresh table (the context's own is left alone). */
    async tuneGemms(a: { M: number; N: number; K: number }): Promise<{ results: TuneResult[]; choices: Record<string, string> }> {
      const own = { ...ctx, kernels: emptyKernelTable() };
      const results = await tune(own, GEMM_FAMILIES.map((f) => ({ family: f as unknown as Family<unknown>, shape: a })), undefined, 0);
      return { results, choices: own.kernels.choices };
    },
    /** What tune() measures at a shape below its minimum work: nothing. */
    async tuneSmall(a: { M: number; N: number; K: number }): Promise<number> {
      return (await tune({ ...ctx, kernels: emptyKernelTable() }, GEMM_FAMILIES.map((f) => ({ family: f as unknown as Family<unknown>, shape: a })))).length;
    },
    /** gemm_xwt plus a variant that skips the ReLU: the tuner must not time it. */
    async tuneWithWrongVariant(a: { M: number; N: number; K: number }): Promise<TuneResult> {
      const base = GEMM_XWT.variants[0];
      const wrong = { ...base, name: 'no-relu', build: (c: GpuContext, args: Parameters<typeof base.build>[1], label: string) => base.build(c, { ...args, relu: !args.relu }, label) };
      const family = { ...GEMM_XWT, variants: [base, wrong], launch: (c: GpuContext, args: Parameters<typeof base.build>[1], v?: string) => (v === 'no-relu' ? wrong : base).build(c, args, 'probe') };
      return tuneOne(ctx, { family: family as unknown as Family<unknown>, shape: a });
    },
  };
}
