// `npm run unpack -- FILE [--out DIR]`: a run file downloaded from the page (or any tar of run
// folders) unpacked into run folders that `npm run train -- --resume` and `npm run eval` read.
// The file is hostile until checked: its size before it is read, every entry name (tar.ts), every
// run (run_file.ts), every folder it would make (inside --out, new or empty) all before anything
// is written; then the folders are written whole or not at all (staged_folders.ts). A run on the
// embedded MNIST gets this machine's path of it (the page cannot know it).
import { Command } from 'commander';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { fail } from '../errors.ts';
import { defaultDataDir } from '../data/mnist.ts';
import { EMBEDDED_MNIST, readRunFile, resumeCommand, runFolderFiles } from '../io/run_file.ts';
import { checkOutTarget } from '../io/out_target.ts';
import { npmLine } from '../io/shell_quote.ts';
import { writeFoldersWhole } from '../io/staged_folders.ts';
import { resolveUserPath } from './arg_parsers.ts';
import { runMain } from './cli_main.ts';

/** Node reads at most 2 GiB into one buffer; a run file of a model that fits a GPU is far smaller. */
const MAX_RUN_FILE = 2 ** 31 - 1;

const cmd = new Command('unpack')
  .description('Unpack a run file (.tar) downloaded from the page into run folders')
  .argument('<file>', 'the run file')
  .option('--out <dir>', 'folder to unpack into (default: runs/<file name without .tar>)')
  .exitOverride();

function readRunFileBytes(file: string): Uint8Array {
  if (!existsSync(file)) fail(`run file ${file} not found`);
  const st = statSync(file);
  if (st.isDirectory()) fail(`${file} is a folder, not a run file: pass the .tar file (a run folder needs no unpacking)`);
  if (!st.isFile()) fail(`${file} is not a regular file: pass a run file (.tar)`);
  if (st.size > MAX_RUN_FILE) fail(`${file} is ${st.size} bytes, larger than a run file can be (at most ${MAX_RUN_FILE}): not a run file`);
  try {
    return new Uint8Array(readFileSync(file));
  } catch (e) {
    fail(`cannot read run file ${file}: ${(e as Error).message}`);
  }
}

/** Why `dir` cannot receive a run: it holds one, or holds anything at all (the user's files). */
function refuseUsed(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) fail(`${dir} exists and is not a folder; pass another --out`);
  const names = readdirSync(dir).sort();
  if (names.includes('config.json')) fail(`${dir} holds a run already (config.json exists); pass another --out`);
  if (names.length > 0) {
    const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
    fail(`${dir} is not empty (${shown}) and unpack writes only into new or empty folders, so nothing of yours is overwritten; pass another --out`);
  }
}

runMain(cmd, async () => {
  const file = resolveUserPath(cmd.args[0]);
  const outArg = cmd.opts<{ out?: string }>().out;
  const out = checkOutTarget(resolveUserPath(outArg ?? join('runs', basename(file).replace(/\.tar$/, ''))), '--out');
  const runs = readRunFile([{ name: basename(file), bytes: readRunFileBytes(file) }]);
  // entry names are already relative and '..'-free (tar.ts); resolving again keeps the promise local
  const targets = runs.map((r) => (r.dir === '.' ? out : resolve(out, r.dir)));
  targets.forEach((t, i) => {
    if (t !== out && !t.startsWith(out + sep)) fail(`run folder "${runs[i].dir}" would land outside --out ${out}: refused`);
    const outer = targets.find((u, j) => j !== i && (t + sep).startsWith(u + sep));
    if (outer !== undefined) fail(`run folder "${runs[i].dir}" lies inside another run folder of the file: refused`);
    refuseUsed(t);
  });
  writeFoldersWhole(runs.map(({ content }, i) => {
    // written again rather than copied: options.out, the resume line and the data folder name this machine's paths
    const files = runFolderFiles(content, targets[i]);
    const config = JSON.parse(new TextDecoder().decode(files['config.json'])) as { data: { dir: string } };
    if (config.data.dir === EMBEDDED_MNIST) config.data.dir = defaultDataDir();
    files['config.json'] = new TextEncoder().encode(JSON.stringify(config, null, 2) + '\n');
    return { dir: targets[i], files };
  }), '--out');
  runs.forEach(({ content }, i) => console.log(`${targets[i]}: epoch ${content.state.epoch}; continue with: ${resumeCommand(content, targets[i])}`));
  console.log(`evaluate with: ${npmLine('eval', targets.flatMap((t) => ['--run', t]))}`);
});
