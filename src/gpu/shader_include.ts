// Shared WGSL code: a shader names a file of shaders/lib/ on a line of its own,
//   // #include "lib/philox.wgsl"
// and that line is replaced by the file's text when the shader library is loaded (Node reads
// shaders/ from disk, the page gets it from Vite; both call buildShaderLibrary), so everything
// that compiles a shader sees the expanded source. WGSL has no modules; this is the least
// machinery that lets one formula live in one place. Rules, each broken one a clear error:
// - only files of shaders/lib/ can be included, each at most once per shader;
// - a shared file includes nothing (one level: the shader lists everything it needs, in order,
//   so there is no recursion and no include order to work out);
// - a shared file may use names the including shader declares (its header says which).
import { fail } from '../errors.ts';
import type { ShaderLibrary } from './context.ts';

/** A line that asks for an include, well-formed or not (so a misspelt one is not a silent comment). */
const MENTION = /^\s*\/\/\s*#\s*include\b/;
const INCLUDE = /^\s*\/\/ #include "lib\/([a-z0-9_]+)\.wgsl"\s*$/;

/** `source` (the shader `name`) with each include line replaced by the shared file it names. */
export function expandIncludes(name: string, source: string, lib: Readonly<Record<string, string>>): string {
  const seen = new Set<string>();
  return source.split('\n').map((line, i) => {
    if (!MENTION.test(line)) return line;
    const at = `shaders/${name}.wgsl:${i + 1}`;
    const m = line.match(INCLUDE);
    if (!m) fail(`${at}: malformed include "${line.trim()}"; write // #include "lib/<name>.wgsl"`);
    const file = m[1];
    const text = lib[file];
    if (text === undefined) fail(`${at}: includes lib/${file}.wgsl, which is not in shaders/lib/ (there: ${Object.keys(lib).sort().map((k) => `${k}.wgsl`).join(', ') || 'nothing'})`);
    if (seen.has(file)) fail(`${at}: includes lib/${file}.wgsl a second time`);
    seen.add(file);
    return `// ---- lib/${file}.wgsl ----\n${text.replace(/\n$/, '')}\n// ---- end of lib/${file}.wgsl ----`;
  }).join('\n');
}

/** The shaders (by name) with their includes expanded; `lib` holds shaders/lib/'s files by name. */
export function buildShaderLibrary(shaders: Readonly<Record<string, string>>, lib: Readonly<Record<string, string>>): ShaderLibrary {
  for (const [file, text] of Object.entries(lib)) {
    const n = text.split('\n').findIndex((l) => MENTION.test(l));
    if (n >= 0) fail(`shaders/lib/${file}.wgsl:${n + 1}: a shared file includes nothing (the shader that includes it lists every shared file it needs)`);
  }
  return Object.fromEntries(Object.entries(shaders).map(([name, code]) => [name, expandIncludes(name, code, lib)]));
}

/** `{ 'x/y/name.wgsl': text }` (paths as a loader gives them) as `{ name: text }`. */
export function byFileName(files: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, code]) => [path.replace(/^.*\//, '').replace(/\.wgsl$/, ''), code]));
}
