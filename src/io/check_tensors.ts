// Loaded weights are checked before use: a checkpoint with NaN or infinite values (a crash in the
// middle of a bad epoch, a file edited by hand) would otherwise train or evaluate garbage.
import { fail } from '../errors.ts';

export function requireFinite(what: string, data: Float32Array): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) fail(`${what} holds a non-finite value (${data[i]}) at index ${i}: the file is damaged or was saved from a diverged run; resume from another checkpoint or retrain`);
  }
}

export function requireLength(what: string, data: Float32Array, expected: number, hint: string): void {
  if (data.length !== expected) fail(`${what} holds ${data.length} values but ${expected} are needed (${hint})`);
}
