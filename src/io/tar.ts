// A minimal POSIX ustar archive writer and reader (plain TypeScript, runs in the page and in
// Node): regular files only, names up to 100 bytes (plus a 155-byte prefix), 512-byte blocks,
// two zero blocks at the end. `tar -xf` unpacks what `writeTar` writes; `readTar` also reads what
// GNU tar and bsdtar write for plain files: pax 'path' and GNU long-name records name the next
// entry (and pass the same name rule, as `tar -xf` would use them); other records are skipped.
import { fail } from '../errors.ts';

const BLOCK = 512;
const enc = new TextEncoder();
const dec = new TextDecoder();

export interface TarEntry {
  name: string;
  data: Uint8Array;
}

/** The one rule for an entry name, on write and on read: a relative path with '/' whose segments
 *  are neither empty ('a//b'), '..' nor a control character or '\\' (a separator elsewhere), so
 *  an entry can never name a place outside the folder it is unpacked into, and two spellings can
 *  never name one file. '.' segments ('./a') are dropped: that is how `tar -C dir .` writes names.
 *  Returns the normalised name; `where` names the archive in the error. Pure, for the page too. */
export function safeEntryName(name: string, where: string): string {
  function bad(why: string): never {
    fail(`${where}: entry name ${JSON.stringify(name)} ${why}: refused (a run file names files inside its own folders only)`);
  }
  if (name.startsWith('/')) bad('is an absolute path');
  if (/[\x00-\x1f\x7f\\]/.test(name)) bad('holds a control character or a backslash');
  if (/^[A-Za-z]:/.test(name)) bad('starts with a drive letter');
  const parts = name.split('/');
  while (parts[0] === '.') parts.shift();
  const segs = parts.filter((p) => p !== '.');
  if (segs.length === 0) bad('names no file');
  if (segs.includes('..')) bad("has a '..' segment");
  if (segs.includes('')) bad("has an empty segment ('//' or a trailing '/')");
  return segs.join('/');
}

function putString(h: Uint8Array, at: number, len: number, s: string, what: string): void {
  const b = enc.encode(s);
  if (b.length > len) fail(`tar: ${what} "${s}" is longer than ${len} bytes`);
  h.set(b, at);
}

function putOctal(h: Uint8Array, at: number, len: number, v: number): void {
  putString(h, at, len, v.toString(8).padStart(len - 1, '0') + '\0', 'number');
}

/** One archive of the entries, in order; names are paths with '/' (no leading '/'). */
export function writeTar(entries: TarEntry[], mtimeSeconds = 0): Uint8Array {
  const size = entries.reduce((n, e) => n + BLOCK + Math.ceil(e.data.length / BLOCK) * BLOCK, 2 * BLOCK);
  const out = new Uint8Array(size);
  let pos = 0;
  for (const e of entries) {
    if (safeEntryName(e.name, 'tar') !== e.name) fail(`tar: entry name ${JSON.stringify(e.name)} is not in normal form`);
    const h = out.subarray(pos, pos + BLOCK);
    let name = e.name, prefix = '';
    if (enc.encode(name).length > 100) {
      const cut = name.lastIndexOf('/', name.length - 1);
      prefix = name.slice(0, cut);
      name = name.slice(cut + 1);
    }
    putString(h, 0, 100, name, 'name');
    putOctal(h, 100, 8, 0o644);
    putOctal(h, 108, 8, 0);
    putOctal(h, 116, 8, 0);
    putOctal(h, 124, 12, e.data.length);
    putOctal(h, 136, 12, mtimeSeconds);
    h.fill(0x20, 148, 156); // the checksum field counts as spaces while summing
    h[156] = 0x30; // '0': regular file
    putString(h, 257, 6, 'ustar\0', 'magic');
    putString(h, 263, 2, '00', 'version');
    putString(h, 345, 155, prefix, 'name prefix');
    let sum = 0;
    for (const b of h) sum += b;
    putString(h, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ', 'checksum');
    out.set(e.data, pos + BLOCK);
    pos += BLOCK + Math.ceil(e.data.length / BLOCK) * BLOCK;
  }
  return out;
}

/** True when the bytes start with a ustar (or GNU tar) header. */
export function isTar(bytes: Uint8Array): boolean {
  return bytes.length >= BLOCK && dec.decode(bytes.subarray(257, 262)) === 'ustar';
}

function cString(b: Uint8Array): string {
  const end = b.indexOf(0);
  return dec.decode(end < 0 ? b : b.subarray(0, end));
}

function octal(b: Uint8Array, what: string, name: string): number {
  const s = cString(b).trim();
  if (!/^[0-7]+$/.test(s)) fail(`${name}: the tar header of "${what}" holds no valid octal number (${JSON.stringify(s)}): the file is corrupt`);
  return parseInt(s, 8);
}

/** The `path` of a pax extended header ('x'), which names the next entry in place of its ustar
 *  name (as `tar -xf` reads it, so it is the name the same rule must check), or undefined. Records
 *  are "LENGTH key=value\n", LENGTH counting the whole record in bytes; a malformed one is refused. */
function paxPath(body: Uint8Array, header: string, name: string): string | undefined {
  let path: string | undefined;
  for (let at = 0; at < body.length && body[at] !== 0; ) {
    const space = body.indexOf(0x20, at);
    const len = space < 0 ? NaN : Number(dec.decode(body.subarray(at, space)));
    const rec = Number.isSafeInteger(len) && len > 0 && at + len <= body.length ? dec.decode(body.subarray(space + 1, at + len)) : '';
    const eq = rec.indexOf('=');
    if (!rec.endsWith('\n') || eq < 1) fail(`${name}: the pax header "${header}" holds a malformed record at byte ${at}: the file is corrupt`);
    if (rec.slice(0, eq) === 'path') path = rec.slice(eq + 1, -1);
    at += len;
  }
  return path;
}

/** The regular files of the archive (directories and links skipped); `name` names the archive in
 *  errors. Every file's name passes `safeEntryName` (normalised) and is unique, or nothing is returned. */
export function readTar(bytes: Uint8Array, name = 'tar file'): TarEntry[] {
  const out: TarEntry[] = [];
  const seen = new Set<string>();
  let longName: string | undefined;
  for (let pos = 0; ; ) {
    if (pos + BLOCK > bytes.length) fail(`${name} ends inside a tar header (at byte ${pos} of ${bytes.length}): the file is truncated`);
    const h = bytes.subarray(pos, pos + BLOCK);
    if (h.every((b) => b === 0)) return out;
    if (dec.decode(h.subarray(257, 262)) !== 'ustar') fail(`${name}: no tar header at byte ${pos}: the file is not a tar archive or is corrupt`);
    const stored = octal(h.subarray(148, 156), 'checksum', name);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
    const entryName = longName ?? [cString(h.subarray(345, 500)), cString(h.subarray(0, 100))].filter(Boolean).join('/');
    if (sum !== stored) fail(`${name}: the tar header of "${entryName}" has checksum ${stored} but its bytes sum to ${sum}: the file is corrupt`);
    const size = octal(h.subarray(124, 136), `${entryName} size`, name);
    const start = pos + BLOCK, end = start + size;
    if (end > bytes.length) fail(`${name}: "${entryName}" needs ${size} bytes but the file ends ${end - bytes.length} bytes early: it is truncated`);
    const type = String.fromCharCode(h[156] || 0x30);
    const pending = longName;
    longName = undefined;
    if (type === 'L') longName = cString(bytes.subarray(start, end));
    else if (type === 'x') longName = paxPath(bytes.subarray(start, end), entryName, name) ?? pending;
    else if (type === '0' || type === '7') {
      const safe = safeEntryName(entryName, name);
      if (seen.has(safe)) fail(`${name}: two entries name ${JSON.stringify(safe)}: refused (one would overwrite the other)`);
      seen.add(safe);
      out.push({ name: safe, data: bytes.slice(start, end) });
    }
    // '5' directories, 'g' global pax records (a path there names no one file), links: nothing a
    // run folder needs
    pos = start + Math.ceil(size / BLOCK) * BLOCK;
  }
}
