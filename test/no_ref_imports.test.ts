// House rule: production code does not import the test oracle. Every module under src/ outside
// src/ref/ is read and each of its module specifiers (static import/export ... from, side-effect
// imports, dynamic import()) is resolved against its folder; one that lands in src/ref/ fails the
// test, naming the file and the line. One file is allowed, for the reason written beside it; the
// allowance must still be needed (it fails if that file stops importing src/ref/), so it cannot
// outlive its reason. Reads files only: well under a second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { projectRoot } from '../src/node/project_root.ts';

const ALLOWED: Record<string, string> = {
  'src/eval/kl_check.ts': 'the `npm run kl-check` diagnostic: its whole job is to compare the GPU\'s reported KL with an independent float64 computation (the oracle) from the saved weights',
};

/** Module specifiers of a TypeScript source with their 1-based line numbers, comments left out. */
function specifiers(source: string): { spec: string; line: number }[] {
  // blank the comments but keep every newline, so line numbers still match the file
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:\\'"`])\/\/[^\n]*/g, (_, before: string) => before);
  const out: { spec: string; line: number }[] = [];
  const patterns = [
    /\b(?:import|export)\b[^;'"`]*?\bfrom\s*['"]([^'"]+)['"]/g, // import x from '...', export { y } from '...'
    /\bimport\s*['"]([^'"]+)['"]/g, // import '...'
    /\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g, // import('...')
  ];
  for (const re of patterns) {
    for (const m of code.matchAll(re)) out.push({ spec: m[1], line: code.slice(0, m.index).split('\n').length });
  }
  return out;
}

/** The file's imports that resolve into src/ref/, as "line: specifier". */
function refImports(file: string): string[] {
  const dir = dirname(join(projectRoot, file));
  const refDir = join(projectRoot, 'src', 'ref') + sep;
  return specifiers(readFileSync(join(projectRoot, file), 'utf8'))
    .filter(({ spec }) => spec.startsWith('.') && resolve(dir, spec).startsWith(refDir))
    .map(({ spec, line }) => `${line}: ${spec}`);
}

function sources(dir: string): string[] {
  return readdirSync(join(projectRoot, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return path === 'src/ref' ? [] : sources(path);
    return /\.(ts|tsx|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

test('the scanner sees every form of import, across lines, and skips comments', () => {
  const src = [
    "import { a } from '../ref/a.ts';",
    'import {',
    '  b,',
    "} from '../../ref/b.ts';",
    "export { c } from './c.ts';",
    "import type { D } from '../ref/d.ts';",
    "import '../ref/side_effect.ts';",
    "const m = await import('../ref/dynamic.ts');",
    "// import { e } from '../ref/commented.ts';",
    "/* import { f } from '../ref/block.ts'; */",
  ].join('\n');
  assert.deepEqual(specifiers(src), [
    { spec: '../ref/a.ts', line: 1 },
    { spec: '../../ref/b.ts', line: 2 },
    { spec: './c.ts', line: 5 },
    { spec: '../ref/d.ts', line: 6 },
    { spec: '../ref/side_effect.ts', line: 7 },
    { spec: '../ref/dynamic.ts', line: 8 },
  ]);
});

test('production code (src/ outside src/ref/) imports nothing from src/ref/, except the allowed diagnostic', () => {
  const files = sources('src');
  assert.ok(files.length > 100, `expected the whole of src/, found ${files.length} files`);
  const offenders = files.filter((f) => !(f in ALLOWED)).flatMap((f) => refImports(f).map((i) => `${f}:${i}`));
  assert.deepEqual(offenders, [], `production code imports the test oracle (src/ref/); move what production needs out of src/ref/:\n${offenders.join('\n')}`);
  for (const [file, why] of Object.entries(ALLOWED)) {
    assert.ok(files.includes(file), `${file} is allowed to import src/ref/ (${why}) but no longer exists: drop it from the list`);
    assert.ok(refImports(file).length > 0, `${file} no longer imports src/ref/: drop its allowance`);
  }
});
