// Number formatting and Markdown tables for the bench report (console and bench/results/*.md).
export function fmt(v: number | undefined, digits = 3): string {
  if (v === undefined) return '';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
  return v.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : digits === 3 && a < 1 ? 3 : 2);
}

export const pct = (share: number): string => `${(100 * share).toFixed(1)}%`;

export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(2)} MiB`;
}

export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** "1.35x faster" / "2.10x slower": how ours compares with a peer's time. */
export function versus(oursMs: number, peerMs: number): string {
  return oursMs <= peerMs ? `ours ${(peerMs / oursMs).toFixed(2)}x faster` : `ours ${(oursMs / peerMs).toFixed(2)}x slower`;
}

/** Every number in `value`, with its path, that is not finite and positive (zero allowed where `zeroOk`). */
export function badNumbers(value: unknown, zeroOk: (path: string) => boolean, path = ''): string[] {
  if (typeof value === 'number') return Number.isFinite(value) && (value > 0 || (value === 0 && zeroOk(path))) ? [] : [`${path} = ${value}`];
  if (Array.isArray(value)) return value.flatMap((v, i) => badNumbers(v, zeroOk, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => badNumbers(v, zeroOk, path ? `${path}.${k}` : k));
  return [];
}
