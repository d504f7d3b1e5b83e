// npm test's first pass: every test file, in headless Chromium where a file opens a GPU harness.
// Most files spend much of their time starting Chromium, Dawn or a CLI rather than computing (the
// pass used about 40% of two cores one file at a time), so they run two at a time. Files that
// time the page's main thread, or that look for leftover Chromium processes and profiles across
// the whole machine, run first and alone, so no other test's browser can disturb what they check.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/node/project_root.ts';
import { startSharedBrowser } from './shared_browser.ts';

const ALONE = /^(app_|playground_page|tables_page|faults|stale_profiles|host_wait)/;
// file names as arguments run just those files, the way the whole pass would run them
const only = process.argv.slice(2).map((f) => f.replace(/^test\//, ''));
const files = readdirSync(join(projectRoot, 'test')).filter((f) => f.endsWith('.test.ts') && (only.length === 0 || only.includes(f))).sort();
const alone = files.filter((f) => ALONE.test(f)), paired = files.filter((f) => !ALONE.test(f));
// not spawnSync: this process serves the shared browser's pages (Vite) while the tests run
const run = (list: string[], concurrency: number, env: NodeJS.ProcessEnv = process.env): Promise<number> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...list.map((f) => join('test', f))], { cwd: projectRoot, env, stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('close', (code) => resolve(code ?? 1));
  });
console.log(`npm test, Chromium pass: ${alone.length} files one at a time, then ${paired.length} two at a time`);
const a = alone.length ? await run(alone, 1) : 0;
// the kernel and model files share one Chromium and Vite (test/util/shared_browser.ts); if they
// cannot start, each file launches its own, as it does when run alone
let shared: Awaited<ReturnType<typeof startSharedBrowser>> | undefined;
try {
  shared = await startSharedBrowser();
} catch (e) {
  console.error(`npm test, Chromium pass: no shared browser (${(e as Error).message.split('\n')[0]}); each file launches its own`);
}
const b = await run(paired, 2, { ...process.env, ...shared?.env });
await shared?.close();
process.exit(a || b);
