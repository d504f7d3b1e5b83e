// Mutation check of the KL code: each mutant changes the t kernel AND its float64 reference the
// same way (so GPU-vs-reference tests alone cannot see it), runs the KL-related test files, and
// must make at least one of them fail. Prints which test files catch each mutant.
// `npm run mutants` (about 10 minutes on a software adapter). Files are restored on exit.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const KERNEL = 'shaders/reparam_kl_t.wgsl', REF = 'src/ref/reparam_kl.ts';
const TESTS = ['test/kl_oracle.test.ts', 'test/ref_vae.test.ts', 'test/reparam_kl.test.ts', 'test/vae_gradients.test.ts'];

type Edit = [file: string, from: string, to: string];
const MUTANTS: { name: string; edits: Edit[] }[] = [
  {
    name: 'iid exponent (nu+1)/2 -> nu/2',
    edits: [
      [KERNEL, 'let c = 0.5 * (nu + 1.0);', 'let c = 0.5 * nu;'],
      [KERNEL, 'r = (nu + 1.0) * zj / (nu + zj * zj);', 'r = nu * zj / (nu + zj * zj);'],
      [REF, 'const nu = prior.nu, a = (nu + 1) / 2;', 'const nu = prior.nu, a = nu / 2;'],
      [REF, ': ((nu + 1) * zz) / (nu + zz * zz);', ': (nu * zz) / (nu + zz * zz);'],
    ],
  },
  {
    name: 'iid exponent (nu+1)/2 -> (nu+L)/2',
    edits: [
      [KERNEL, 'let c = 0.5 * (nu + 1.0);', 'let c = 0.5 * (nu + f32(L));'],
      [KERNEL, 'r = (nu + 1.0) * zj / (nu + zj * zj);', 'r = (nu + f32(L)) * zj / (nu + zj * zj);'],
      [REF, 'const nu = prior.nu, a = (nu + 1) / 2;', 'const nu = prior.nu, a = (nu + L) / 2;'],
      [REF, ': ((nu + 1) * zz) / (nu + zz * zz);', ': ((nu + L) * zz) / (nu + zz * zz);'],
    ],
  },
  {
    name: 'multivariate exponent (nu+L)/2 -> (nu+1)/2 (the bug this replaced)',
    edits: [
      [KERNEL, 'let c = 0.5 * (nu + f32(L));', 'let c = 0.5 * (nu + 1.0);'],
      [KERNEL, 'r = (nu + f32(L)) * zj / (nu + sz);', 'r = (nu + 1.0) * zj / (nu + sz);'],
      [REF, 'const nu = prior.nu, a = (nu + L) / 2;', 'const nu = prior.nu, a = (nu + 1) / 2;'],
      [REF, '((nu + L) * zz) / (nu + sz)', '((nu + 1) * zz) / (nu + sz)'],
    ],
  },
  {
    name: 'drop the -logvar/2 term (forward and its -1/2 in the backward)',
    edits: [
      [KERNEL, 's += -0.5 * logvar;', ''],
      [KERNEL, '0.5 * sigma * (g * e + k * r * e) - 0.5 * k;', '0.5 * sigma * (g * e + k * r * e);'],
      [REF, 'kl += -lv / 2 - a * Math.log1p', 'kl += -a * Math.log1p'],
      [REF, 'kl += -lv / 2;', ''],
      [REF, 'dKlv = -0.5 + (r * e * sigma) / 2;', 'dKlv = (r * e * sigma) / 2;'],
    ],
  },
  {
    name: 'sign flip in dKL/dmu',
    edits: [
      [KERNEL, 'dh[m * params.ldH + j] = g + k * r;', 'dh[m * params.ldH + j] = g - k * r;'],
      [REF, 'dKmu = r;', 'dKmu = -r;'],
    ],
  },
];

const originals = new Map<string, string>([KERNEL, REF].map((f) => [f, readFileSync(f, 'utf8')]));
const restore = () => { for (const [f, s] of originals) writeFileSync(f, s); };
process.on('SIGINT', () => { restore(); process.exit(130); });
process.on('SIGTERM', () => { restore(); process.exit(143); });

function apply(edits: Edit[]): void {
  const text = new Map(originals);
  for (const [file, from, to] of edits) {
    const s = text.get(file)!;
    if (!s.includes(from)) throw new Error(`mutant no longer applies: "${from}" not found in ${file}`);
    text.set(file, s.split(from).join(to));
  }
  for (const [f, s] of text) writeFileSync(f, s);
}

const rows: string[] = [];
let survived = 0;
try {
  for (const m of MUTANTS) {
    apply(m.edits);
    const caught: string[] = [];
    for (const t of TESTS) {
      const r = spawnSync('node', ['--import', 'tsx', '--test', t], { encoding: 'utf8', maxBuffer: 1 << 28 });
      const failed = [...r.stdout.matchAll(/^not ok \d+ - (.*)$/gm)].map((x) => x[1]);
      if (r.status !== 0) caught.push(`${t} (${failed.length} failing: ${failed.slice(0, 2).join('; ')}${failed.length > 2 ? '; ...' : ''})`);
    }
    restore();
    if (caught.length === 0) survived++;
    rows.push(`| ${m.name} | ${caught.length ? caught.join('<br>') : '**survived**'} |`);
    console.log(rows[rows.length - 1]);
  }
} finally {
  restore();
}
console.log(['', '| mutant (kernel and reference together) | failing test files |', '|---|---|', ...rows].join('\n'));
if (survived > 0) { console.error(`${survived} mutant(s) survived`); process.exit(1); }
