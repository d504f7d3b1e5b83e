// Sharing texture packs between the GEMMs of one encoded list: src/gpu/context.ts encodeDispatches
// (a `pre` copy runs once per call until its source range is bound again) and
// src/kernels/texture_pack.ts packedMatrix (one texture per matrix view), plus the storage.r64
// variants' pipeline key (gemm_subgroup.ts). CPU code with no reference of its own; independent
// checks: the recording-pass test of which dispatches get encoded (test/encode_packs.test.ts) and
// the GEMM test's overwrite-between-reads case against the float64 reference (test/gemm.test.ts),
// which also counts one pipeline per variant (a storage/sampled mix-up computes the same values).
import type { Family } from './types.ts';

const C = 'src/gpu/context.ts';
const P = 'src/kernels/texture_pack.ts';
const S = 'src/kernels/gemm_subgroup.ts';

const family: Family = {
  kernel: 'pack_reuse (encodeDispatches, packedMatrix)',
  tests: ['test/encode_packs.test.ts', 'test/gemm.test.ts'],
  mutants: [
    {
      name: 'a pack is never run again once it ran in the list (writes to its source ignored)',
      edits: [[C, 'if (!bound || bound.some((r) => overlaps(r, c.copyOf!))) fresh.delete(c);', 'if (!bound) fresh.delete(c);']],
    },
    {
      name: 'a bind group bindGroup() did not make is taken to write nothing',
      edits: [[C, 'if (!bound || bound.some(', 'if (bound && bound.some(']],
    },
    {
      name: 'ranges ignored: any binding of the buffer invalidates (weights are views of one buffer)',
      edits: [[C, 'a.buffer === b.buffer && a.begin < b.end && b.begin < a.end', 'a.buffer === b.buffer']],
    },
    {
      name: 'read_write storage bindings taken as read-only (a GEMM writing a packed matrix keeps its stale pack)',
      edits: [[C, "(m[2] === 'uniform' || m[3] === undefined || m[3] === 'read' ? reads : writes)", "(m[2] === 'uniform' || m[3] === undefined || m[3] === 'read' || m[3] === 'read_write' ? reads : writes)"]],
    },
    {
      name: 'a binding read by one entry point and written by another counts as read-only',
      edits: [[C, 'return new Set([...reads].filter((b) => !writes.has(b)));', 'return reads;']],
    },
    {
      name: 'one texture per buffer and size, whatever the view\'s offset',
      edits: [[P, 'const key = `${m.offset}:${texelCount(m)}`;', 'const key = `${texelCount(m)}`;']],
    },
    {
      name: 'storage.rR and subgroup.rR share a pipeline (texture kind left out of the key)',
      edits: [[S, 'key: `r${rows}l${lanes}${read}`', 'key: `r${rows}l${lanes}`']],
    },
  ],
};
export default family;
