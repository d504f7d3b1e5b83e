// The page as a tool (issue 16): a CLI run dropped on the page (after a file that is no run, refused),
// resumed there to the CLI's own history, and the page's download unpacked and resumed by the CLI.
// Its own file, apart from app_tool.test.ts: its three CLI runs in Chromium take most of its time and
// time nothing on the page, so npm test runs it next to other work.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EpochStats } from '../src/train/trainer.ts';
import { appToolPage, idle, numbers } from './util/app_tool_page.ts';
import { runCli } from './util/cli.ts';

const { harness, appState, waitFor, fill, screenshot, work } = appToolPage('app-drop');

test('a CLI run loads by drag and drop and resumes in the page; the page\'s download resumes in the CLI', async () => {
  const page = harness().page;
  const flags = ['--model', 't', '--nu', '5', '--optimizer', 'adam', '--lr', '0.001', '--seed', '7', '--limit', '500', '--valid-limit', '100', '--hidden', '32', '--latent', '10', '--batch', '100', '--checkpoint-every', '1'];
  const cliRun = join(work, 'cli-run'), cliOn = join(work, 'cli-on');
  // in Chromium, as the page: its history is compared with the page's bit for bit. The CLI run
  // trains on subgroup.r32 and records it (kernels.json): the page and the CLI's resumes below match
  // it only by forcing that record, not their own choice (base in the page)
  const chromium = { runtime: 'chromium' } as const;
  process.env.TVAE_KERNELS = 'subgroup.r32';
  let r: ReturnType<typeof runCli>;
  try {
    r = runCli('src/cli/train.ts', [...flags, '--epochs', '2', '--out', cliRun], undefined, chromium);
  } finally {
    delete process.env.TVAE_KERNELS;
  }
  assert.equal(r.code, 0, r.stderr);
  const recorded = JSON.parse(readFileSync(join(cliRun, 'kernels.json'), 'utf8')) as { choices: Record<string, string> };
  assert.ok(Object.values(recorded.choices).every((v) => v === 'subgroup.r32'), JSON.stringify(recorded));
  cpSync(cliRun, cliOn, { recursive: true });
  r = runCli('src/cli/train.ts', [...flags, '--epochs', '3', '--out', cliOn, '--resume'], undefined, chromium);
  assert.equal(r.code, 0, r.stderr);
  const cliHistory = JSON.parse(readFileSync(join(cliOn, 'history.json'), 'utf8')) as EpochStats[];
  const packed = join(work, 'cli-run.tar');
  execFileSync('tar', ['-cf', packed, '-C', cliRun, '.']);
  // a file that is no run first: one message, nothing changed
  const bogus = join(work, 'notes.txt');
  writeFileSync(bogus, 'not a run');
  const dropFiles = async (files: string[]) => {
    await page.$eval('#drop', (el) => el.scrollIntoView({ block: 'center' }));
    const box = (await (await page.$('#drop'))!.boundingBox())!;
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const data = { items: [], files, dragOperationsMask: 1 };
    await page.mouse.dragEnter(at, data);
    await page.mouse.dragOver(at, data);
    await page.mouse.drop(at, data);
  };
  const before = await appState();
  await dropFiles([bogus]);
  let s = await waitFor('the refusal', (x) => x.message !== undefined);
  assert.match(s.message!, /^Cannot load notes\.txt: notes\.txt holds no tvae run/);
  assert.deepEqual(s.history, before.history, 'the run on the page is untouched');
  await screenshot('bad-file.png');
  await dropFiles([packed]);
  s = await waitFor('the CLI run', (x) => x.status === 'loaded');
  assert.equal(s.message, undefined);
  assert.deepEqual(s.history.map(numbers), cliHistory.slice(0, 2).map(numbers));
  await fill({ epochs: '3' });
  await page.click('#resume');
  s = await waitFor('epoch 3 in the page', (x) => idle(x) && x.epochsDone >= 3);
  assert.equal(s.status, 'done', String(s.message));
  // the page's worker and the CLI's headless page train with the same kernels on the same adapter
  assert.deepEqual(numbers(s.history[2]), numbers(cliHistory[2]));
  await screenshot('loaded-run.png');
  // and back: the page's download, unpacked, resumed by the CLI to epoch 4
  const tar = join(work, 'page-run.tar');
  writeFileSync(tar, await harness().call<Uint8Array>('runFile'));
  const unpacked = join(work, 'page-run');
  r = runCli('src/cli/unpack.ts', [tar, '--out', unpacked]);
  assert.equal(r.code, 0, r.stderr);
  const dir = join(unpacked, 't-nu-5');
  const resume = r.stdout.match(/continue with: npm run train -- (.*)/)?.[1]?.split(' ') ?? assert.fail(`no resume line: ${r.stdout}`);
  assert.ok(resume.includes(dir), resume.join(' '));
  r = runCli('src/cli/train.ts', resume, undefined, chromium);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const resumed = JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')) as EpochStats[];
  assert.deepEqual(resumed.map((e) => e.epoch), [1, 2, 3, 4]);
  assert.deepEqual(resumed.slice(0, 3).map(numbers), s.history.map(numbers));
});
