// A study run again on its folder keeps the runs it finished (trainRun with --resume and
// keepFinished): same settings and all epochs -> returned as they are, nothing trained or
// rewritten; other settings -> the usual --resume refusal; without keepFinished a finished run is
// still refused as before ("ask for more with --epochs").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrainArgs } from '../src/cli/validate_args.ts';
import { trainRun } from '../src/train/run.ts';
import { runCli, tempDir } from './util/cli.ts';

test('trainRun keeps a finished run with the same settings, and refuses one with other settings', async () => {
  const out = join(tempDir('keep'), 'run');
  const flags = ['--optimizer', 'adam', '--lr', '0.001', '--seed', '3', '--limit', '200', '--valid-limit', '100', '--hidden', '16', '--latent', '2', '--batch', '100', '--epochs', '1', '--out', out];
  const r = runCli('src/cli/train.ts', flags);
  assert.equal(r.code, 0, r.stderr);
  const before = statSync(join(out, 'checkpoint.safetensors')).mtimeMs;
  const lines: string[] = [];
  const kept = await trainRun(parseTrainArgs([...flags, '--resume']), { log: (l) => lines.push(l), keepFinished: true });
  assert.equal(kept.history.length, 1);
  assert.deepEqual(kept.history, JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')));
  assert.match(lines.join('\n'), /is trained to epoch 1 with these settings already: kept/);
  assert.equal(statSync(join(out, 'checkpoint.safetensors')).mtimeMs, before, 'nothing rewritten');
  await assert.rejects(trainRun(parseTrainArgs([...flags, '--resume']), { log: () => undefined }), /the run already has 1 epochs; ask for more with --epochs/);
  const other = flags.map((f) => (f === '3' ? '4' : f)); // another seed
  await assert.rejects(trainRun(parseTrainArgs([...other, '--resume']), { log: () => undefined, keepFinished: true }), /was trained with other settings/);
});
