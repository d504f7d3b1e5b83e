// New folders written whole or not at all: each folder's files go to a hidden sibling
// (`.<name>.staging-<pid>`), fsynced, and only when every folder is complete are they renamed
// into place. A failure (disk full, a read-only mount, a kill) therefore leaves no half-made
// folder that a retry would refuse as "holds a run already"; staging folders of dead processes
// are swept on the next write into the same parent.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TvaeError } from '../errors.ts';
import { makeFolders } from './out_target.ts';
import { pidAlive } from './pid_alive.ts';
import { writeSynced } from './run_folder.ts';

const STAGING = /^\.(.+)\.staging-(\d+)$/;

export interface FolderToWrite {
  /** absolute path of the folder to create (absent, or an empty folder) */
  dir: string;
  files: Record<string, Uint8Array>;
}

/** Removes `.NAME.staging-PID` folders in `parent` whose writer is dead. */
function sweepStaging(parent: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return;
  }
  for (const n of names) {
    const m = STAGING.exec(n);
    if (m && !pidAlive(Number(m[2]))) fs.rmSync(path.join(parent, n), { recursive: true, force: true });
  }
}

/** Writes every folder, or none: on failure everything this call made is removed again and the
 *  error is one line naming the folder (`flag` names the option the folders came from). */
export function writeFoldersWhole(folders: FolderToWrite[], flag: string): void {
  const made: string[] = [];
  const staged: { tmp: string; dir: string }[] = [];
  const undo = () => {
    for (const s of staged) fs.rmSync(s.tmp, { recursive: true, force: true });
    for (const p of made.reverse()) {
      try { fs.rmdirSync(p); } catch { /* holds something now: keep it */ }
    }
  };
  let current = '';
  try {
    for (const f of folders) {
      current = f.dir;
      const parent = path.dirname(f.dir);
      made.push(...makeFolders(parent, flag));
      sweepStaging(parent);
      const tmp = path.join(parent, `.${path.basename(f.dir)}.staging-${process.pid}`);
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.mkdirSync(tmp);
      staged.push({ tmp, dir: f.dir });
      for (const [name, data] of Object.entries(f.files)) writeSynced(path.join(tmp, name), data, 'wx');
    }
    // rename(2) replaces an empty folder and refuses a non-empty one: nothing is overwritten
    for (const s of staged) {
      current = s.dir;
      fs.renameSync(s.tmp, s.dir);
      s.tmp = s.dir;
    }
  } catch (e) {
    undo();
    if (e instanceof TvaeError) throw e;
    throw new TvaeError(`cannot write ${current}: ${(e as Error).message}; nothing was left behind, so the same command can be run again`);
  }
}
