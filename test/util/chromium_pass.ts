// npm test's Chromium pass by itself (npm test runs it together with the Node pass:
// test/util/npm_test.ts): the page files one at a time, then the rest a few at a time with one
// shared Chromium for the kernel files. File names as arguments run just those files, the way
// the whole pass would run them.
import { compileForRunner } from './compiled.ts';
import { testFiles, chromiumJobs } from './passes.ts';
import { merged, runPool, summary } from './pool.ts';
import { startSharedBrowser } from './shared_browser.ts';

const compiled = compileForRunner('npm test, Chromium pass');
const { quiet, alone, rest } = chromiumJobs(testFiles(process.argv.slice(2)), { ...process.env, ...compiled.env });
const jobs = Number(process.env.TVAE_TEST_JOBS) || 2;
console.log(`npm test, Chromium pass: ${quiet.length + alone.length} files one at a time, then ${rest.length} ${jobs} at a time`);
const a = await runPool([...quiet, ...alone], 1);
const shared = await startSharedBrowser().catch((e: Error) => {
  console.error(`npm test, Chromium pass: no shared browser (${e.message.split('\n')[0]}); each file launches its own`);
  return undefined;
});
const b = await runPool(rest.map((j) => ({ ...j, env: { ...j.env, ...shared?.env } })), jobs);
await shared?.close();
const all = merged(a, b);
console.log(`\n${summary('npm test, Chromium pass', all)}`);
process.exit(all.failed.length === 0 ? 0 : 1);
