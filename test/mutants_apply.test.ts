// Every mutant of `npm run mutants` still applies to today's files: each edit's text is found in
// its file and changes it. A kernel edited (or moved into shaders/lib/) without its mutants shows
// here in a second, not only when the mutation run marks the mutant INVALID an hour later.
// Pure text; no adapter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/node/project_root.ts';
import type { Family } from '../scripts/mutants/types.ts';

const here = join(projectRoot, 'scripts', 'mutants');
const NOT_FAMILIES = new Set(['run.ts', 'types.ts', 'wgsl_check.ts']);

test('every mutant edit of every family finds its text and changes its file', async () => {
  const files = readdirSync(here).filter((f) => f.endsWith('.ts') && !NOT_FAMILIES.has(f)).sort();
  assert.ok(files.length >= 30, `${files.length} families`);
  const bad: string[] = [];
  let mutants = 0;
  for (const f of files) {
    const fam = (await import(join(here, f))).default as Family;
    for (const m of fam.mutants) {
      mutants++;
      const text = new Map<string, string>();
      for (const [file, from, to] of m.edits) {
        const s = text.get(file) ?? readFileSync(join(projectRoot, file), 'utf8');
        if (!s.includes(from)) bad.push(`${fam.kernel} / ${m.name}: "${from}" not found in ${file}`);
        text.set(file, s.split(from).join(to));
      }
      for (const [file, s] of text) if (s === readFileSync(join(projectRoot, file), 'utf8')) bad.push(`${fam.kernel} / ${m.name}: leaves ${file} unchanged`);
    }
  }
  assert.deepEqual(bad, [], `${bad.length} of ${mutants} mutants no longer apply`);
});
