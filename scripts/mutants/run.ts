// Mutation check: every mutant changes a kernel AND its float64 reference the same way (so
// GPU-vs-reference tests alone cannot see it) and must make an independent test fail.
//   npm run mutants                 every family in scripts/mutants/ (one file per kernel)
//   npm run mutants -- gemm conv    only the families whose kernel name contains a given word
// Tests run on one adapter, Node + lavapipe (as npm test's second pass), the family's files in the
// order listed, stopping at the first that fails. Before a mutant is run, its edited files are
// compiled (WGSL by Dawn, every shader that includes an edited shaders/lib/ file too; TypeScript
// by esbuild): a mutant that does not compile, or whose edit no longer applies, is INVALID, not
// caught. A test file credited with a catch is also run once on
// the unmutated code and must pass there. Files are restored on exit, SIGINT and SIGTERM.
// Exits non-zero when a mutant survives or is invalid.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { projectRoot } from '../../src/node/project_root.ts';
import { chooseVulkanDriver, vulkanEnv } from '../../src/node/vulkan_driver.ts';
import type { Edit, Family, Mutant } from './types.ts';

process.chdir(projectRoot);
// One run per working tree: mutants are written into the tree itself, so a second run (or a test
// started by hand meanwhile) would see another run's mutant. The lock names the tree's path.
const lock = join(tmpdir(), `tvae-mutants-${createHash('sha1').update(projectRoot).digest('hex').slice(0, 12)}.lock`);
try {
  writeFileSync(lock, String(process.pid), { flag: 'wx' });
} catch {
  const pid = Number(readFileSync(lock, 'utf8'));
  let alive = false;
  try { process.kill(pid, 0); alive = true; } catch { /* stale lock */ }
  if (alive) { console.error(`npm run mutants: another run (pid ${pid}) is mutating this tree; lock ${lock}`); process.exit(2); }
  // a run that was killed outright (SIGKILL) left its mutant in place: put its originals back
  if (existsSync(`${lock}.json`)) {
    const saved = JSON.parse(readFileSync(`${lock}.json`, 'utf8')) as Record<string, string>;
    for (const [f, text] of Object.entries(saved)) writeFileSync(f, text);
    console.error(`npm run mutants: restored ${Object.keys(saved).join(', ')} left mutated by a killed run (pid ${pid})`);
  }
  writeFileSync(lock, String(process.pid));
}
const here = join('scripts', 'mutants');
const NOT_FAMILIES = new Set(['run.ts', 'types.ts', 'wgsl_check.ts']);

const baseEnv: NodeJS.ProcessEnv = { ...process.env, TVAE_TEST_RUNTIME: 'node', TVAE_ADAPTER: process.env.TVAE_ADAPTER || 'lavapipe' };
const driverEnv = vulkanEnv(chooseVulkanDriver(baseEnv), baseEnv);
delete driverEnv.VK_ICD_FILENAMES; // the test processes choose the driver themselves (TVAE_ADAPTER)
delete driverEnv.VK_DRIVER_FILES;
const env = { ...baseEnv, ...driverEnv };

async function loadFamilies(words: string[]): Promise<Family[]> {
  const files = readdirSync(here).filter((f) => f.endsWith('.ts') && !NOT_FAMILIES.has(f)).sort();
  const all: Family[] = [];
  for (const f of files) all.push((await import(`./${f}`)).default as Family);
  const chosen = words.length ? all.filter((fam) => words.some((w) => fam.kernel.includes(w))) : all;
  if (!chosen.length) throw new Error(`no mutant family matches ${words.join(', ')}; families: ${all.map((f) => f.kernel).join(', ')}`);
  return chosen;
}

// --- files: originals kept so every exit path restores them -------------------------------------
const originals = new Map<string, string>();
const restore = () => { for (const [f, s] of originals) writeFileSync(f, s); };
process.on('SIGINT', () => { restore(); process.exit(130); });
process.on('SIGTERM', () => { restore(); process.exit(143); });
process.on('exit', () => { restore(); rmSync(`${lock}.json`, { force: true }); rmSync(lock, { force: true }); });

/** The mutated texts, or why the mutant does not apply. */
function mutate(edits: Edit[]): Map<string, string> | string {
  const text = new Map<string, string>();
  for (const [file, from, to] of edits) {
    if (!originals.has(file)) {
      originals.set(file, readFileSync(file, 'utf8'));
      writeFileSync(`${lock}.json`, JSON.stringify(Object.fromEntries(originals))); // for a killed run's successor
    }
    const s = text.get(file) ?? originals.get(file)!;
    if (!s.includes(from)) return `edit no longer applies: "${from}" not found in ${file}`;
    text.set(file, s.split(from).join(to));
  }
  for (const [f, s] of text) if (s === originals.get(f)) return `edits leave ${f} unchanged`;
  return text;
}

/** Compile errors of the mutated files, or '' when they all compile. */
function compileErrors(text: Map<string, string>): string {
  const errs: string[] = [];
  for (const [f, s] of text) {
    if (!f.endsWith('.ts')) continue;
    try {
      transformSync(s, { loader: 'ts', sourcefile: f });
    } catch (e) {
      errs.push(`${f}: ${(e as Error).message.split('\n')[1] ?? (e as Error).message}`);
    }
  }
  const wgsl = [...text.keys()].filter((f) => f.endsWith('.wgsl'));
  if (wgsl.length) {
    // the checker compiles what is on disk, each shader expanded with its includes (a mutated
    // shaders/lib/ file: every shader that includes it), so the mutant is written in place first
    for (const [f, s] of text) writeFileSync(f, s);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'wgsl_check.ts'), ...wgsl], { env, encoding: 'utf8' });
    restore();
    if (r.status !== 0) errs.push((r.stdout + r.stderr).trim().split('\n').filter((l) => !l.startsWith('Warning:')).slice(0, 2).join(' / '));
  }
  return errs.join('; ');
}

interface TestRun { failed: boolean; names: string[]; why: string; output: string }
function runTest(file: string): TestRun {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', file], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  // TAP lists a failing subtest before its parent, so the first names are the innermost checks
  const names = [...r.stdout.matchAll(/^\s*not ok \d+ - (.*)$/gm)].map((x) => x[1]);
  // the first failure's message (YAML `error:` line, or the line after a `|-` block marker)
  const after = r.stdout.slice(Math.max(0, r.stdout.search(/^\s*not ok /m)));
  const m = after.match(/^\s*error: (.*)$\n?(.*)$/m);
  const raw = m ? (/^[|>]-?$/.test(m[1].trim()) ? m[2] : m[1]) : '';
  const why = raw.trim().replace(/^'|'$/g, '').replace(/\|/g, '/').slice(0, 110);
  return { failed: r.status !== 0, names, why, output: r.stdout + r.stderr };
}

const cleanPass = new Map<string, boolean>();
function passesClean(file: string): boolean {
  if (!cleanPass.has(file)) {
    restore();
    cleanPass.set(file, !runTest(file).failed);
  }
  return cleanPass.get(file)!;
}

// A failure from a thrown ReferenceError/TypeError in the mutated code is not a caught wrong formula
const BROKEN_CODE = /\b(ReferenceError|SyntaxError)\b|is not a function|Error while parsing WGSL|Invalid ShaderModule/;

type Verdict = { kind: 'caught'; by: string } | { kind: 'survived' } | { kind: 'invalid'; why: string };
function judge(fam: Family, m: Mutant): Verdict {
  const text = mutate(m.edits);
  if (typeof text === 'string') return { kind: 'invalid', why: text };
  const bad = compileErrors(text);
  if (bad) return { kind: 'invalid', why: `does not compile: ${bad}` };
  for (const file of fam.tests) {
    for (const [f, s] of text) writeFileSync(f, s);
    const r = runTest(file);
    restore();
    if (!r.failed) continue;
    if (BROKEN_CODE.test(r.output)) return { kind: 'invalid', why: `${file} fails with broken code: ${r.output.match(BROKEN_CODE)![0]}` };
    if (!passesClean(file)) return { kind: 'invalid', why: `${file} fails on the unmutated code too` };
    return { kind: 'caught', by: `${file}: ${r.names[0] ?? '(file failed to load)'}${r.why ? ` — ${r.why}` : ''}` };
  }
  return { kind: 'survived' };
}

const started = Date.now();
const families = await loadFamilies(process.argv.slice(2));
const rows: string[] = [];
const counts: string[] = [];
let survived = 0, invalid = 0;
for (const fam of families) {
  let caught = 0;
  for (const m of fam.mutants) {
    const t0 = Date.now();
    const v = judge(fam, m);
    const cell = v.kind === 'caught' ? v.by : v.kind === 'survived' ? '**SURVIVED**' : `**INVALID** ${v.why}`;
    if (v.kind === 'caught') caught++;
    else if (v.kind === 'survived') survived++;
    else invalid++;
    rows.push(`| ${fam.kernel} | ${m.name} | ${cell} |`);
    console.log(`${rows[rows.length - 1]} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  counts.push(`| ${fam.kernel} | ${fam.mutants.length} | ${caught} |`);
}
restore();
console.log(['', '| kernel | mutant (kernel and reference together) | caught by (test file: test) |', '|---|---|---|', ...rows].join('\n'));
console.log(['', '| kernel | mutants | caught |', '|---|---|---|', ...counts].join('\n'));
console.log(`\n${rows.length} mutants, ${survived} survived, ${invalid} invalid, ${((Date.now() - started) / 60000).toFixed(1)} min (${env.TVAE_ADAPTER})`);
if (survived + invalid > 0) process.exit(1);
