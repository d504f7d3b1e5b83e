// npm test runs the test files and the CLIs they start as JavaScript compiled once by esbuild, not
// through tsx: a process started with `--import tsx` spent about 1.5 CPU-seconds in tsx's loader
// (its hook thread transforming and resolving each module) before running anything — 2.1 CPU-s for
// a one-test kernel file on the Node pass against 0.6 compiled — and npm test starts about 150
// test processes and as many CLI runs. The compile takes about a second.
// The output goes under the project (.cache/, git-ignored), so Node finds node_modules from it;
// packages stay external (imported at run time, as under tsx), each entry keeps its path
// (test/x.test.ts -> DIR/test/x.test.mjs), shared code goes to chunks, and source maps point stack
// traces at the .ts lines. TVAE_ROOT tells src/node/project_root.ts where the project is, as in the
// GPU bundle. Without TVAE_COMPILED (a file run alone), everything runs through tsx as before.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../../src/node/project_root.ts';

/** The environment variable naming the compiled tree, set by npm test for its test processes. */
export const COMPILED_ENV = 'TVAE_COMPILED';

/** Files that import TypeScript by a path computed at run time, which a bundle cannot follow:
 *  they keep tsx. */
const TSX_ONLY = new Set(['test/mutants_apply.test.ts']);

/** What the tests start as processes besides themselves: the CLIs, the bench, a Dawn helper. */
const ENTRY_DIRS = ['test', 'src/cli'];
const EXTRA_ENTRIES = ['bench/run.ts', 'bench/kernels.ts', 'test/util/dawn_twice.ts'];

/** Compiles every test file and every script a test starts into a fresh folder under .cache/;
 *  returns it. Throws with esbuild's message when the compile fails. */
export function compileTests(): string {
  const out = join(projectRoot, '.cache', `compiled-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const entries = [
    ...ENTRY_DIRS.flatMap((d) => readdirSync(join(projectRoot, d)).filter((f) => f.endsWith('.ts')).map((f) => `${d}/${f}`)),
    ...EXTRA_ENTRIES,
  ].filter((f) => !TSX_ONLY.has(f));
  const r = spawnSync(join(projectRoot, 'node_modules', '.bin', 'esbuild'), [
    ...entries, '--bundle', '--splitting', '--format=esm', '--platform=node', '--target=node20',
    `--outdir=${out}`, '--outbase=.', '--out-extension:.js=.mjs', '--chunk-names=chunks/[hash]',
    '--packages=external', '--sourcemap', '--log-level=error',
  ], { cwd: projectRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`esbuild could not compile the tests: ${r.error?.message ?? ''}${r.stderr}`);
  return out;
}

export function removeCompiled(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The compiled form of `script` (a path from the project root, e.g. src/cli/train.ts) when npm
 *  test compiled it; undefined otherwise. */
export function compiledScript(script: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env[COMPILED_ENV];
  if (!dir) return undefined;
  const rel = relative(projectRoot, join(projectRoot, script));
  if (TSX_ONLY.has(rel)) return undefined;
  const file = join(dir, rel.replace(/\.ts$/, '.mjs'));
  return existsSync(file) ? file : undefined;
}

/** Node's arguments to run `script` with `args`: the compiled script when there is one, else the
 *  TypeScript through tsx. `node` holds Node's own options (e.g. --expose-gc). */
export function nodeArgs(script: string, args: string[] = [], node: string[] = [], env: NodeJS.ProcessEnv = process.env): string[] {
  const compiled = compiledScript(script, env);
  return compiled ? [...node, '--enable-source-maps', compiled, ...args] : [...node, '--import', 'tsx', join(projectRoot, script), ...args];
}

/** Compiles for a test runner: the variables its test processes need (none, after one line
 *  saying why, when the compile fails: the files then run through tsx and report the error
 *  themselves), and a cleanup for the end of the run. */
export function compileForRunner(name: string): { env: NodeJS.ProcessEnv; cleanup(): void } {
  const t0 = Date.now();
  try {
    const dir = compileTests();
    console.log(`${name}: test files and CLIs compiled by esbuild in ${((Date.now() - t0) / 1000).toFixed(1)} s (${relative(projectRoot, dir)})`);
    const cleanup = () => removeCompiled(dir);
    process.once('exit', cleanup);
    return { env: { [COMPILED_ENV]: dir, TVAE_ROOT: projectRoot }, cleanup };
  } catch (e) {
    console.error(`${name}: ${(e as Error).message.split('\n').slice(0, 5).join('\n')}\n${name}: running the TypeScript through tsx instead`);
    return { env: {}, cleanup: () => {} };
  }
}
