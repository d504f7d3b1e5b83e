// Which variant each (family, shape) uses. Synchronous and never times anything: a resumed run's
// recorded choices (pinned, src/tune/record.ts) decide alone; otherwise TVAE_KERNELS (forced),
// the tuner (src/tune/measure.ts, cached per adapter), else the family's fallback. The table also
// keeps what was used: the run's record, and the one-line summary in logs.
import { fail } from '../errors.ts';
import { shapeKey, type AdapterCaps, type Family, type KernelShape, type Variant } from './family.ts';

export interface KernelTable {
  /** `name` (every family that has it) or `family=name` entries from TVAE_KERNELS */
  forced: readonly string[];
  /** `family|MxNxK` -> variant name, from the tuner or its cache */
  choices: Record<string, string>;
  /** what launchers built: `family|MxNxK` -> variant name */
  used: Map<string, string>;
  /** where the tuner keeps its choices between runs (absent: this process only) */
  store?: ChoiceStore;
  /** a resumed run's recorded choices (its kernels.json): these and nothing else decide, a shape
   *  they lack gets the fallback, and the tuner times nothing (src/tune/record.ts) */
  pinned?: Record<string, string>;
}

export const choiceKey = (family: string, shape: KernelShape): string => `${family}|${shapeKey(shape)}`;

export function emptyKernelTable(forced: readonly string[] = [], store?: ChoiceStore): KernelTable {
  return { forced, choices: {}, used: new Map(), store };
}

/** TVAE_KERNELS: comma-separated `name` or `family=name`; names are checked against the families. */
export function parseForced(value: string | undefined, families: readonly Family<unknown, KernelShape>[]): string[] {
  if (!value) return [];
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const e of entries) {
    const [fam, name] = e.includes('=') ? e.split('=', 2) : [undefined, e];
    const scope = fam === undefined ? families : families.filter((f) => f.name === fam);
    if (fam !== undefined && scope.length === 0) fail(`TVAE_KERNELS: no kernel family "${fam}" (families: ${families.map((f) => f.name).join(', ')})`);
    if (!scope.some((f) => f.variants.some((v) => v.name === name))) {
      const names = [...new Set(scope.flatMap((f) => f.variants.map((v) => v.name)))];
      fail(`TVAE_KERNELS: no variant "${name}"${fam ? ` in ${fam}` : ''} (variants: ${names.join(', ')})`);
    }
  }
  return entries;
}

export function forcedName(table: KernelTable, family: Family<unknown, KernelShape>): string | undefined {
  let name: string | undefined;
  for (const e of table.forced) {
    const [fam, n] = e.includes('=') ? e.split('=', 2) : [undefined, e];
    if ((fam === undefined || fam === family.name) && family.variants.some((v) => v.name === n)) name = n;
  }
  return name;
}

/** The variant for this launch: an explicit one (tests), forced, tuned, else the fallback. */
export function chooseVariant<A, S extends KernelShape = KernelShape>(table: KernelTable, caps: AdapterCaps, family: Family<A, S>, shape: S, explicit?: string): Variant<A, S> {
  const byName = (n: string) => family.variants.find((v) => v.name === n);
  const key = choiceKey(family.name, shape);
  const pick = (name: string | undefined, source: string): Variant<A, S> | undefined => {
    if (name === undefined) return undefined;
    const v = byName(name);
    if (!v && source === 'tuned') return undefined; // a cache from another version of the families
    if (!v) fail(`${family.name}: no variant "${name}" (${source}; variants: ${family.variants.map((x) => x.name).join(', ')})`);
    const why = v.unfit(caps, shape);
    if (why === undefined) return v;
    if (source === 'asked for') fail(`${family.name} variant ${name} cannot run here: ${why}`);
    return undefined; // a forced or cached variant that does not fit this launch: the fallback runs
  };
  // pinned: a variant the adapter cannot run gets the fallback (init has warned, record.ts)
  const v = table.pinned
    ? pick(explicit, 'asked for') ?? pick(table.pinned[key], 'kernels.json') ?? byName(family.fallback)
    : pick(explicit, 'asked for') ?? pick(forcedName(table, family as unknown as Family<unknown, KernelShape>), 'TVAE_KERNELS')
      ?? pick(table.choices[key], 'tuned') ?? byName(family.fallback);
  if (!v) fail(`${family.name}: the fallback variant ${family.fallback} is missing`);
  table.used.set(key, v.name);
  return v;
}

/** One compact line, per family in build order: `gemm_xwt 4 subgroup.r64 + 2 base, …`. */
export function describeChoices(table: KernelTable): string {
  if (table.used.size === 0) return 'kernels: none built';
  const counts = new Map<string, Map<string, number>>();
  for (const [key, name] of table.used) {
    const family = key.slice(0, key.indexOf('|'));
    const c = counts.get(family) ?? new Map<string, number>();
    c.set(name, (c.get(name) ?? 0) + 1);
    counts.set(family, c);
  }
  const parts = [...counts].map(([family, c]) => `${family} ${[...c].sort((a, b) => b[1] - a[1]).map(([n, k]) => `${k} ${n}`).join(' + ')}`);
  const why = table.pinned ? ' (as recorded by the run)' : table.forced.length ? ` (TVAE_KERNELS=${table.forced.join(',')})` : '';
  return `kernels: ${parts.join(', ')}${why}`;
}

/** Where tuned choices persist: a JSON file in Node (src/node/tune_cache.ts), localStorage in the page. */
export interface ChoiceStore {
  /** where, for logs: a file path or "localStorage" */
  where: string;
  load(adapterKey: string): Record<string, string>;
  save(adapterKey: string, choices: Record<string, string>): void;
}
