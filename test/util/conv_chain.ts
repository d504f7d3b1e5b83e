// The float64 reference of a small CNN chain, conv -> BN (training) -> LeakyReLU -> conv ->
// sum of squares, forward and backward; checked by finite differences in conv_gradients.test.ts
// and used as the reference of the GPU chain in conv_chain.test.ts.
import { conv2dBackwardData, conv2dBackwardWeight, conv2dForward, convOut, type Conv2dShape } from '../../src/ref/conv2d.ts';
import { batchNormBackward, batchNormTrain, type BnShape } from '../../src/ref/batchnorm.ts';
import { leakyRelu, leakyReluBackward } from '../../src/ref/leaky_relu.ts';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; };

/** conv -> BN (training) -> LeakyReLU -> conv -> sum of squares, forward and backward in float64. */
export function chainLossAndGrads(p: ChainParams, s1: Conv2dShape, s2: Conv2dShape, eps: number, slope: number) {
  const z1 = conv2dForward(p.x, p.w1, p.b1, s1);
  const o1 = convOut(s1);
  const bs: BnShape = { N: s1.N, C: s1.Cout, H: o1.Ho, W: o1.Wo };
  const bn = batchNormTrain(z1, p.gamma, p.beta, bs, eps);
  const a = leakyRelu(bn.y, slope);
  const y = conv2dForward(a, p.w2, p.b2, s2);
  const loss = dot(y, y);
  const dy = y.map((v) => 2 * v);
  const g2 = conv2dBackwardWeight(dy, a, s2);
  const da = conv2dBackwardData(dy, p.w2, s2);
  const dbn = leakyReluBackward(da, bn.y, slope);
  const gb = batchNormBackward(dbn, z1, p.gamma, bn.mean, bn.invstd, bs);
  const g1 = conv2dBackwardWeight(gb.dx, p.x, s1);
  return { loss, x: conv2dBackwardData(gb.dx, p.w1, s1), w1: g1.dw, b1: g1.db, gamma: gb.dgamma, beta: gb.dbeta, w2: g2.dw, b2: g2.db };
}

export interface ChainParams { x: Float64Array; w1: Float64Array; b1: Float64Array; gamma: Float64Array; beta: Float64Array; w2: Float64Array; b2: Float64Array }

