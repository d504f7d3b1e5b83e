// `npm run unpack -- FILE [--out DIR]`: a run file downloaded from the page (or any tar of run
// folders) unpacked into run folders that `npm run train -- --resume` and `npm run eval` read.
// Every run in the file is validated before anything is written; a run on the embedded MNIST gets
// this machine's path of it (the page cannot know it).
import { Command } from 'commander';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fail } from '../errors.ts';
import { defaultDataDir } from '../data/mnist.ts';
import { EMBEDDED_MNIST, readRunFile, resumeCommand, runFolderFiles } from '../io/run_file.ts';
import { writeFileAtomic } from '../io/run_folder.ts';
import { resolveUserPath } from './arg_parsers.ts';
import { runMain } from './cli_main.ts';

const cmd = new Command('unpack')
  .description('Unpack a run file (.tar) downloaded from the page into run folders')
  .argument('<file>', 'the run file')
  .option('--out <dir>', 'folder to unpack into (default: runs/<file name without .tar>)')
  .exitOverride();

runMain(cmd, async () => {
  const file = resolveUserPath(cmd.args[0]);
  if (!existsSync(file)) fail(`run file ${file} not found`);
  const out = resolveUserPath(cmd.opts<{ out?: string }>().out ?? join('runs', basename(file).replace(/\.tar$/, '')));
  const runs = readRunFile([{ name: basename(file), bytes: new Uint8Array(readFileSync(file)) }]);
  const targets = runs.map((r) => (r.dir === '.' ? out : join(out, r.dir)));
  for (const t of targets) if (existsSync(join(t, 'config.json'))) fail(`${t} holds a run already (config.json exists); pass another --out`);
  runs.forEach(({ content }, i) => {
    const dir = targets[i];
    mkdirSync(dir, { recursive: true });
    // written again rather than copied: options.out, the resume line and the data folder name this machine's paths
    const files = runFolderFiles(content, dir);
    const config = JSON.parse(new TextDecoder().decode(files['config.json'])) as { data: { dir: string } };
    if (config.data.dir === EMBEDDED_MNIST) config.data.dir = defaultDataDir();
    files['config.json'] = new TextEncoder().encode(JSON.stringify(config, null, 2) + '\n');
    for (const [name, bytes] of Object.entries(files)) writeFileAtomic(join(dir, name), bytes);
    console.log(`${dir}: epoch ${content.state.epoch}; continue with: ${resumeCommand(content, dir)}`);
  });
  console.log(`evaluate with: npm run eval -- ${targets.map((t) => `--run ${t}`).join(' ')}`);
});
