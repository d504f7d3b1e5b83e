// npm test's Node pass by itself (`npm run test:node`; npm test runs it together with the Chromium
// pass: test/util/npm_test.ts): the kernel and model files in-process in plain Node on lavapipe,
// two at a time (they time nothing, and one file's start-up overlaps the other's work).
import { compileForRunner } from './compiled.ts';
import { nodeJobs, testFiles } from './passes.ts';
import { runPool, summary } from './pool.ts';

let jobs;
try {
  jobs = nodeJobs(testFiles(process.argv.slice(2)), compileForRunner('npm test, Node pass').env);
} catch (e) {
  console.error(`npm test, Node pass: ${(e as Error).message}`); // names scripts/setup.sh
  process.exit(1);
}
console.log(`npm test, Node pass (${jobs[0]?.label ?? 'no files'}): ${jobs.length} kernel and model test files`);
const r = await runPool(jobs, Number(process.env.TVAE_TEST_JOBS) || 2);
console.log(`\n${summary('npm test, Node pass', r)}`);
process.exit(r.failed.length === 0 ? 0 : 1);
