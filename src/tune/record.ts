// A run's kernel record, kernels.json in its run folder: the variant each (family, shape) trained
// with. A resume forces exactly these (src/tune/table.ts `pinned`), never the tuner or its cache:
// two variants of a GEMM sum in different orders, so only the same variants continue a run bit for
// bit. The file travels in run files, so it may come from anyone: every entry is checked against
// the families this version has before any work starts. Pure (no node: imports): the page checks
// the runs it is given with the same code.
import { fail } from '../errors.ts';
import { familyArity, familyShape, type AdapterCaps, type Family, type KernelShape } from './family.ts';

export const KERNEL_RECORD_FILE = 'kernels.json';

export interface KernelRecord {
  tvaeKernels: 1;
  /** the adapter the run trained on (src/gpu/device.ts adapterCaps key): shown, never trusted */
  adapter?: string;
  /** `family|MxNxK` (a GEMM) or `family|d1x...xdn` (the family's dims) -> variant name */
  choices: Record<string, string>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const kind = (v: unknown) => (Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)?.slice(0, 80)}`);
/** a run launches a few dozen kernels; far more entries is not a record this version wrote */
const MAX_ENTRIES = 4096;
const KEY = /^([a-z][a-z0-9_]{0,39})\|(\d{1,9}(?:x\d{1,9}){2,15})$/;
type Families = readonly Family<unknown, KernelShape>[];

/** A `family|d1x...xdn` key's form (GEMMs have 3 numbers, the conv families 11): the tuning caches
 *  keep only keys of this form. */
export const isChoiceKey = (key: string): boolean => KEY.test(key);

export function kernelRecord(caps: AdapterCaps, choices: Record<string, string>): KernelRecord {
  return { tvaeKernels: 1, adapter: caps.key, choices };
}

/** The numbers in a record key (already checked by checkKernelRecord). */
export function recordDims(key: string): number[] {
  const m = KEY.exec(key) ?? fail(`kernel record key "${key}" is not family|MxNxK`);
  return m[2].split('x').map(Number);
}

/** kernels.json's shape, each key a known family at a positive shape and each value one of that
 *  family's variants; the first problem is one error naming the file, the entry and the value. */
export function checkKernelRecord(value: unknown, file: string, families: Families): KernelRecord {
  if (!isObject(value)) fail(`${file} is not a tvae kernel record (it holds ${kind(value)})`);
  if (value.tvaeKernels !== 1) fail(`${file} is not a tvae kernel record this version reads (tvaeKernels is ${kind(value.tvaeKernels)}, expected 1)`);
  const a = value.adapter;
  if (a !== undefined && (typeof a !== 'string' || a.length > 1000 || /[\x00-\x1f\x7f]/.test(a))) fail(`${file}: adapter is ${kind(a)}, expected a line of text`);
  const c = value.choices;
  if (!isObject(c)) fail(`${file}: choices is ${kind(c)}, expected an object of "family|MxNxK": "variant"`);
  const entries = Object.entries(c);
  if (entries.length > MAX_ENTRIES) fail(`${file}: choices has ${entries.length} entries, more than the ${MAX_ENTRIES} a run can launch`);
  const choices: Record<string, string> = {};
  for (const [key, name] of entries) {
    const m = KEY.exec(key);
    const shown = JSON.stringify(key).slice(0, 100);
    if (!m) fail(`${file}: choices key ${shown} is not "family|MxNxK"`);
    const dims = m[2].split('x').map(Number);
    if (!dims.every((d) => d >= 1)) fail(`${file}: choices key ${shown} has a zero size`);
    const family = families.find((f) => f.name === m[1]);
    if (!family) fail(`${file}: choices key ${shown} names no kernel family "${m[1]}" (families: ${families.map((f) => f.name).join(', ')})`);
    const arity = familyArity(family);
    if (dims.length !== arity) fail(`${file}: choices key ${shown} has ${dims.length} sizes but ${family.name} keys have ${arity} (${family.dims?.names.join('x') ?? 'MxNxK'})`);
    if (typeof name !== 'string' || !family.variants.some((v) => v.name === name)) {
      fail(`${file}: choices[${shown}] is ${kind(name)}, not a ${family.name} variant (variants: ${family.variants.map((v) => v.name).join(', ')})`);
    }
    choices[key] = name;
  }
  return { tvaeKernels: 1, ...(a !== undefined ? { adapter: a as string } : {}), choices };
}

/** Why recorded variants cannot run on this adapter, one line each; their launches get the
 *  family's fallback, and the resume is then not bit-identical (see pinVariants' caller). */
export function unfitRecorded(record: Record<string, string>, caps: AdapterCaps, families: Families): string[] {
  const lines: string[] = [];
  for (const [key, name] of Object.entries(record)) {
    const family = families.find((f) => f.name === key.slice(0, key.indexOf('|')));
    const v = family?.variants.find((x) => x.name === name);
    const why = family && v?.unfit(caps, familyShape(family, recordDims(key)));
    if (family && why) lines.push(`${key} was trained with ${name}, which cannot run on this adapter (${why}): using ${family.fallback}`);
  }
  return lines;
}

/** One line for reports: `gemm_xwt 4 subgroup.r32, gemm_dytx 3 base + 1 subgroup.r64` per family. */
export function describeRecord(record: KernelRecord | undefined): string {
  if (!record) return `not recorded (a run from before records: a resume uses every family's fallback)`;
  const counts = new Map<string, Map<string, number>>();
  for (const [key, name] of Object.entries(record.choices)) {
    const family = key.slice(0, key.indexOf('|'));
    const c = counts.get(family) ?? new Map<string, number>();
    c.set(name, (c.get(name) ?? 0) + 1);
    counts.set(family, c);
  }
  if (counts.size === 0) return 'no kernel recorded';
  return [...counts].map(([family, c]) => `${family} ${[...c].sort((a, b) => b[1] - a[1]).map(([n, k]) => `${k} ${n}`).join(' + ')}`).join(', ');
}
