// The full-covariance Gaussian posterior's encoder head: [mu | logvar | Lp] for latent size L, the
// strictly lower triangle Lp(i, j), i > j, at 2L + i(i-1)/2 + j. Shared by the launcher, the part,
// the float64 reference and the KL check: a layout, not the KL's formula.

/** The KL in closed form or as the one-sample estimate log q(z) - log p(z). */
export type FullKl = 'closed' | 'mc';

/** Columns of the encoder's head for latent size L. */
export const fullHeadSize = (L: number): number => 2 * L + (L * (L - 1)) / 2;
/** Column of Lp(i, j), i > j, in a head row. */
export const lpIndex = (L: number, i: number, j: number): number => 2 * L + (i * (i - 1)) / 2 + j;
