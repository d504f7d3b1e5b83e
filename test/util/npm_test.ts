// npm test: the Chromium pass and the Node pass (test/util/passes.ts says which files each runs).
// The page files run one at a time, as they time the page's main thread: app_tool, which asserts
// its longest task, alone, the others with one other file beside them (TVAE_TEST_BESIDE_PAGES);
// then every other file of both passes shares one pool of TVAE_TEST_JOBS processes (default 3),
// longest first:
// measured one file at a time, the tests use about half of two cores (they wait on Chromium,
// Dawn and CLI start-ups, and on GPU round trips), so a third process fills the idle time, and the
// Node pass's compute overlaps the Chromium files' waiting instead of following it. The kernel
// files of the Chromium pass share one browser (test/util/shared_browser.ts). Exits non-zero if
// any file fails, after all have run, naming them. The files and the CLIs they start run compiled
// (test/util/compiled.ts).
import { compileForRunner } from './compiled.ts';
import { chromiumJobs, nodeJobs, testFiles } from './passes.ts';
import { merged, runPool, summary, type PoolResult, type TestJob } from './pool.ts';
import { startSharedBrowser } from './shared_browser.ts';

const files = testFiles(process.argv.slice(2));
const compiled = compileForRunner('npm test');
const { quiet, alone, rest } = chromiumJobs(files, { ...process.env, ...compiled.env });
let node: TestJob[] = [];
const noNode: PoolResult = { failed: [], counts: {} };
try {
  node = nodeJobs(files, compiled.env);
} catch (e) {
  console.error(`npm test, Node pass: ${(e as Error).message}`); // names scripts/setup.sh
  noNode.failed.push('the Node pass (no lavapipe)');
}
const jobs = Number(process.env.TVAE_TEST_JOBS) || 3;
// app_tool first with nothing beside it: it asserts the page's longest main-thread task (one file
// beside it made that 296 ms against the 250 allowed on a loaded machine). While the other page
// files run (one at a time), the pool runs `beside` files next to them, not `jobs`: alone, a page
// file used about 0.7 of the two cores (it waits on the page), and one file beside it fills the
// rest. TVAE_TEST_BESIDE_PAGES=0 runs every page file alone first.
const besideEnv = process.env.TVAE_TEST_BESIDE_PAGES;
const beside = besideEnv !== undefined && /^\d+$/.test(besideEnv) ? Number(besideEnv) : 1;
console.log(`npm test: ${quiet.length} page file${quiet.length === 1 ? '' : 's'} alone, ${alone.length} page files one at a time with ${beside} other file${beside === 1 ? '' : 's'} beside them, then ${rest.length} files in Chromium and ${node.length} in Node, ${jobs} at a time`);
const q = await runPool(quiet, 1);
let pages = true;
const pagesDone = runPool(alone, 1).finally(() => (pages = false));
const shared = await startSharedBrowser().catch((e: Error) => {
  console.error(`npm test: no shared browser (${e.message.split('\n')[0]}); each kernel file launches its own`);
  return undefined;
});
// the longest files first whichever pass they are in (a file's Node run right after its Chromium run)
const order = new Map(rest.map((j, i) => [j.file, i]));
const pool = [...rest.map((j) => ({ ...j, env: { ...j.env, ...shared?.env } })), ...node]
  .map((j, i) => ({ j, key: order.get(j.file) ?? rest.length, i }))
  .sort((x, y) => x.key - y.key || x.i - y.i)
  .map((x) => x.j);
const [a, b] = await Promise.all([pagesDone, runPool(pool, () => (pages ? beside : jobs))]);
await shared?.close();
compiled.cleanup();
const all = merged(q, a, b, noNode);
console.log(`\n${summary('npm test', all)}`);
process.exit(all.failed.length === 0 ? 0 : 1);
