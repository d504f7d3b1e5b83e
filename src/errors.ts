// One error type for everything a user can get wrong (shapes, hyperparameters, files, adapters),
// so the CLI and the page can print a single clear line instead of a stack trace.
export class TvaeError extends Error {
  override name = 'TvaeError';
}

export function fail(message: string): never {
  throw new TvaeError(message);
}

export function requirePositiveInt(what: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) fail(`${what} must be a positive integer, got ${value}`);
}

export function requirePositiveFinite(what: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) fail(`${what} must be a finite number > 0, got ${value}`);
}
