// Expands the unrolled GEMM templates (shaders/gemm_*.subgroup.wgsl) when a pipeline is built.
// llvmpipe keeps a vector loop counter and blends every loop-carried value under the lane mask,
// so the per-row work is written out straight-line; the template keeps one readable line per
// repeated statement instead. Rules (also in each template's header):
// - a line with $r repeats for r < ROWS ($rt = r div LANES, $rl = r mod LANES);
// - a line with $q repeats for q < ROWS / 4 ($qt = q div LANES, $ql = q mod LANES);
// - a line with $t repeats for t < LOADS;
// - $LANES, $ROWS and $LOADS are replaced everywhere;
// - $TEXTURE is the inputs' binding type and $LEVEL the rest of each textureLoad's arguments:
//   a sampled texture (`texture_2d<f32>`, level `, 0`) or a read-only storage texture
//   (`texture_storage_2d<rgba32float, read>`, no level), per TEXTURE (default sampled).
import { fail } from '../errors.ts';

/** How the texture variants read their packed inputs (see texelRead in gemm_subgroup.ts). */
export type TexelRead = 'sampled' | 'storage';

export interface TemplateParams {
  LANES: number;
  ROWS: number;
  LOADS: number;
  TEXTURE?: TexelRead;
}

const TEXTURE_TYPE: Record<TexelRead, [type: string, level: string]> = {
  sampled: ['texture_2d<f32>', ', 0'],
  storage: ['texture_storage_2d<rgba32float, read>', ''],
};

function repeat(line: string, name: 'r' | 'q' | 't', count: number, lanes: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(line
      .replaceAll(`$${name}t`, String(Math.floor(i / lanes)))
      .replaceAll(`$${name}l`, String(i % lanes))
      .replaceAll(`$${name}`, String(i)));
  }
  return out;
}

export function expandTemplate(template: string, p: TemplateParams): string {
  const { TEXTURE = 'sampled', ...sizes } = p;
  for (const [k, v] of Object.entries(sizes)) if (!Number.isInteger(v) || v < 1) fail(`WGSL template: ${k} must be a positive integer, got ${v}`);
  if (!(TEXTURE in TEXTURE_TYPE)) fail(`WGSL template: TEXTURE must be sampled or storage, got ${TEXTURE}`);
  const [type, level] = TEXTURE_TYPE[TEXTURE];
  const out: string[] = [];
  for (const raw of template.split('\n')) {
    // header comments describe the tokens; they are not repeated
    const line = raw.trimStart().startsWith('//') ? raw : raw.replaceAll('$LANES', String(p.LANES)).replaceAll('$ROWS', String(p.ROWS)).replaceAll('$LOADS', String(p.LOADS))
      .replaceAll('$TEXTURE', type).replaceAll('$LEVEL', level);
    if (raw.trimStart().startsWith('//')) { out.push(line); continue; }
    const kinds = (['r', 'q', 't'] as const).filter((k) => new RegExp(`\\$${k}(?![A-Z])`).test(line));
    if (kinds.length > 1) fail(`WGSL template: a line repeats over both $${kinds[0]} and $${kinds[1]}: ${raw.trim()}`);
    if (kinds.length === 0) out.push(line);
    else if (kinds[0] === 'r') out.push(...repeat(line, 'r', p.ROWS, p.LANES));
    else if (kinds[0] === 'q') out.push(...repeat(line, 'q', p.ROWS / 4, p.LANES));
    else out.push(...repeat(line, 't', p.LOADS, p.LANES));
  }
  const left = out.filter((l) => !l.trimStart().startsWith('//')).join('\n').match(/\$\w+/);
  if (left) fail(`WGSL template: unknown token ${left[0]}`);
  return out.join('\n');
}
