// npm test's first pass: every test file, in headless Chromium where a file opens a GPU harness.
// Most files spend much of their time starting Chromium, Dawn or a CLI rather than computing (the
// pass used about 40% of two cores one file at a time), so they run two at a time. Files that
// time the page's main thread, or that look for leftover Chromium processes and profiles across
// the whole machine, run first and alone, so no other test's browser can disturb what they check.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/node/project_root.ts';

const ALONE = /^(app_|playground_page|tables_page|faults|stale_profiles|host_wait)/;
const files = readdirSync(join(projectRoot, 'test')).filter((f) => f.endsWith('.test.ts')).sort();
const alone = files.filter((f) => ALONE.test(f)), paired = files.filter((f) => !ALONE.test(f));
const run = (list: string[], concurrency: number): number =>
  spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...list.map((f) => join('test', f))], { cwd: projectRoot, stdio: 'inherit' }).status ?? 1;
console.log(`npm test, Chromium pass: ${alone.length} files one at a time, then ${paired.length} two at a time`);
const a = run(alone, 1), b = run(paired, 2);
process.exit(a || b);
