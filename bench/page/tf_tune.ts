// TF.js chooses among its matmul programs by a heuristic tuned for real GPUs; its flag
// WEBGPU_MATMUL_PROGRAM_TYPE overrides the choice. Before racing TF.js we time every program on
// the step's largest GEMM and keep the fastest, so the peer runs its best variant here.
import { tf, tfWallMs } from './tf_setup.ts';

export interface TfTuning {
  /** 'heuristic' = TF.js's own choice (flag -1), then its programs 0..3 by name */
  msByProgram: Record<string, number>;
  /** programs TF.js refused for this shape (e.g. a dispatch over the adapter's limits) */
  failed: string[];
  /** the program kept for the rest of the run, by name (a name, so results hold no flag values) */
  chosen: string;
}

const NAMES: Record<number, string> = { [-1]: 'heuristic', 0: 'MatMulReduce', 1: 'MatMulSplitK', 2: 'MatMulSmallOutputSize', 3: 'MatMulPacked' };

export async function tuneTfMatmul(M: number, N: number, K: number): Promise<TfTuning> {
  const a = tf.randomUniform([M, K]), b = tf.randomUniform([N, K]), bias = tf.randomUniform([N]);
  const op = () => tf.fused.matMul({ a, b, transposeB: true, bias, activation: 'relu' });
  const msByProgram: Record<string, number> = {};
  const failed: string[] = [];
  let chosen = -1, best = Infinity;
  for (const program of [-1, 0, 1, 2, 3]) {
    tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', program);
    try {
      await tfWallMs(op, 1); // compile
      const ms = await tfWallMs(op, 1);
      msByProgram[NAMES[program]] = ms;
      if (ms < best) [best, chosen] = [ms, program];
    } catch {
      failed.push(NAMES[program]);
    }
  }
  tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', chosen);
  tf.dispose([a, b, bias]);
  return { msByProgram, failed, chosen: NAMES[chosen] };
}

/** Runs `fn` under TF.js's own matmul choice (flag -1), then restores the tuned program. The tuned
 *  program is the MLP step's largest GEMM's; TF.js's convolutions run batched matmuls (im2col),
 *  which some programs refuse (MatMulSplitK takes batch 1 only), so the conv sections use the
 *  heuristic TF.js ships. */
export async function withTfHeuristic<T>(fn: () => Promise<T>): Promise<T> {
  const tuned = tf.env().get('WEBGPU_MATMUL_PROGRAM_TYPE');
  tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', -1);
  try {
    return await fn();
  } finally {
    tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', tuned);
  }
}
