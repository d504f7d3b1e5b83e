// Places no report or run folder can live in: /proc, /sys and /dev are kernel and device file
// systems (a recursive mkdir under /proc spins forever; /dev/null is a file). Checked on the real
// path of the nearest existing folder, so a symlink into them is caught too.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fail } from '../errors.ts';

const SPECIAL = ['/proc', '/sys', '/dev'];

export function checkOutPlace(dir: string): void {
  let p = path.resolve(dir);
  while (!fs.existsSync(p) && path.dirname(p) !== p) p = path.dirname(p);
  let real = p;
  try {
    real = fs.realpathSync(p);
  } catch { /* unreadable: the writability checks that follow say so */ }
  for (const s of SPECIAL) {
    if (real === s || real.startsWith(`${s}/`)) fail(`--out ${dir} is under ${s}, a kernel or device file system: pass a folder on a disk`);
  }
}
