// Numerical integration for the KL oracle: the true KL(q || p) = E_q[log q(z) - log p(z)] as a
// deterministic integral, to compare with the Monte-Carlo mean of a kernel's one-sample estimate.
// Infinite ranges are mapped to finite ones by tangent substitutions and integrated with the
// midpoint rule, which never evaluates the (possibly singular) end points. Heavy t tails (nu >= 1)
// decay fast enough after the substitution for a few thousand nodes to give ~1e-6 accuracy.
import { logDensity, logRatioOracle, type Family } from './log_density.ts';
import { logGamma } from './stats.ts';

/** integral of f over (-inf, inf), x = centre + scale tan(theta), n midpoint nodes in theta. */
export function integrateLine(f: (x: number) => number, centre = 0, scale = 1, n = 4000): number {
  let s = 0;
  const h = Math.PI / n;
  for (let i = 0; i < n; i++) {
    const th = -Math.PI / 2 + (i + 0.5) * h;
    const c = Math.cos(th);
    s += f(centre + scale * Math.tan(th)) * (scale / (c * c));
  }
  return s * h;
}

/** integral of f over (0, inf), r = scale tan(theta). */
export function integrateHalfLine(f: (r: number) => number, scale = 1, n = 4000): number {
  let s = 0;
  const h = Math.PI / 2 / n;
  for (let i = 0; i < n; i++) {
    const th = (i + 0.5) * h;
    const c = Math.cos(th);
    s += f(scale * Math.tan(th)) * (scale / (c * c));
  }
  return s * h;
}

/** log of the surface area of the unit sphere in R^L, 2 pi^(L/2) / Gamma(L/2). */
export const logSphereArea = (L: number): number => Math.log(2) + (L / 2) * Math.log(Math.PI) - logGamma(L / 2);

/** KL of one coordinate, q = family(mu, sigma), p = family(0, 1), for the 1-D families. */
export function klQuadrature1D(f: Family, mu: number, sigma: number, n = 6000): number {
  const h = [mu, 2 * Math.log(sigma)];
  return integrateLine((x) => {
    const lq = logDensity(f, [x], [mu], [sigma]);
    return Math.exp(lq) * logRatioOracle(f, [x], h);
  }, mu, sigma, n);
}

/** KL over L coordinates where q has location mu_j = m (all equal) and scale s (all equal), in
 *  polar coordinates of eps = (z - mu)/s: radius rho and c = cos(angle between eps and the
 *  direction of mu). The direction has density Gamma(L/2) / (sqrt(pi) Gamma((L-1)/2)) (1-c^2)^((L-3)/2)
 *  on (-1, 1) for L >= 2 (for L = 2 it is 1 / (pi sqrt(1-c^2)), integrated by c = cos(psi)).
 *  Any family: the normal and the multivariate t have radial eps densities; for iid t use the
 *  sum of klQuadrature1D instead (its eps density is not radial). */
export function klQuadratureIsotropic(f: Family, L: number, m: number, s: number, nRho = 3000, nAngle = 400): number {
  if (f.kind === 't') throw new Error('klQuadratureIsotropic: the iid t density is not radial; sum klQuadrature1D over coordinates');
  if (!(L >= 2)) throw new Error(`klQuadratureIsotropic: L must be >= 2, got ${L} (use klQuadrature1D)`);
  const muNorm = Math.abs(m) * Math.sqrt(L);
  const logArea = logSphereArea(L);
  // eps-space radial density: log of the family's density at a point of radius rho, at mu = 0, sigma = 1
  const radial = (rho: number) => logDensity(f, [rho, ...new Array(L - 1).fill(0)], new Array(L).fill(0), new Array(L).fill(1));
  // integrate over psi in (0, pi) with c = cos psi: dc = sin psi dpsi, and the direction density
  // times sin psi is proportional to sin(psi)^(L-2)
  const logDir = logGamma(L / 2) - 0.5 * Math.log(Math.PI) - logGamma((L - 1) / 2);
  return integrateHalfLine((rho) => {
    const w = Math.exp(logArea + (L - 1) * Math.log(rho) + radial(rho));
    if (w === 0) return 0;
    let inner = 0;
    const dpsi = Math.PI / nAngle;
    for (let i = 0; i < nAngle; i++) {
      const psi = (i + 0.5) * dpsi;
      const c = Math.cos(psi), sn = Math.sin(psi);
      // a point z = mu + s * eps with |eps| = rho at angle psi to mu's direction (1,..,1)/sqrt(L):
      // only |z|^2 and the eps-quadratic matter to every family, so place it in the (e1, e2) plane
      // of an orthonormal frame whose e1 is mu's direction.
      const zr = Math.hypot(muNorm + s * rho * c, s * rho * sn);
      inner += Math.exp(logDir + (L - 2) * Math.log(sn)) * logRatioRadial(f, L, zr, rho, s);
    }
    return w * inner * dpsi;
  }, 1, nRho);
}

/** log q(z) - log p(z) for a radial family when |z| = zr and |eps| = rho, all scales s. */
function logRatioRadial(f: Family, L: number, zr: number, rho: number, s: number): number {
  const e = [rho, ...new Array(L - 1).fill(0)], zz = [zr, ...new Array(L - 1).fill(0)];
  const zero = new Array(L).fill(0), one = new Array(L).fill(1);
  // log q(z) = log f_eps(eps) - L log s, log p(z) = log f(z) at unit scale
  return logDensity(f, e, zero, one) - L * Math.log(s) - logDensity(f, zz, zero, one);
}
