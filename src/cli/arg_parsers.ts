// Value parsers for commander options, shared by the CLIs: each message names the flag and the
// value it got, and user paths resolve against the user's working directory.
import { InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import type { SplitSpec } from '../data/split.ts';

/** Seeds are 32-bit: the CPU generator (src/rng.ts), the validation-noise seed (src/train/seeds.ts)
 *  and the epoch shuffles all keep 32 bits of state, so a larger seed would silently alias a small
 *  one. Refusing keeps every existing seed's weights and shuffles as they were. */
export const MAX_SEED = 2 ** 32 - 1;

export const numberArg = (flag: string) => (v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${flag} must be a number, got "${v}"`);
  return n;
};

export const integerArg = (flag: string) => (v: string): number => {
  const n = numberArg(flag)(v);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`${flag} must be an integer, got "${v}"`);
  return n;
};

export const positiveIntArg = (flag: string) => (v: string): number => {
  const n = integerArg(flag)(v);
  if (n < 1) throw new InvalidArgumentError(`${flag} must be a positive integer, got "${v}"`);
  return n;
};

export const seedArg = (flag: string) => (v: string): number => {
  const n = numberArg(flag)(v);
  if (!Number.isInteger(n) || n < 0 || n > MAX_SEED) throw new InvalidArgumentError(`${flag} must be an integer in 0..${MAX_SEED} (seeds are 32-bit), got "${v}"`);
  return n;
};

/** `--split 55000,5000,10000` (sizes) or `--split 0.8,0.1,0.1` (fractions of the pooled images). */
export const splitArg = (v: string): SplitSpec => {
  const parts = v.split(',').map((s) => numberArg('--split entries')(s));
  if (parts.length !== 3) throw new InvalidArgumentError(`--split takes train,valid,test (3 values), got "${v}"`);
  const fractions = parts.every((x) => x > 0 && x < 1);
  if (fractions && parts[0] + parts[1] + parts[2] > 1 + 1e-9) throw new InvalidArgumentError(`--split fractions must sum to at most 1, got "${v}"`);
  if (!fractions && !parts.every((x) => Number.isSafeInteger(x) && x >= 1)) {
    throw new InvalidArgumentError(`--split takes three sizes (integers >= 1) or three fractions in (0, 1), got "${v}"`);
  }
  return parts as SplitSpec;
};

/** Where the user ran the command: npm runs scripts in the package folder and keeps the user's
 *  folder in INIT_CWD, so `cd /tmp && npm --prefix repo run train -- --out x` writes /tmp/x. */
export const userCwd = (): string => process.env.INIT_CWD || process.cwd();

export const resolveUserPath = (p: string): string => resolve(userCwd(), p);
