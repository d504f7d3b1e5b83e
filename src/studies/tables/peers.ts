// Runs the scikit-learn peers (bench/peers/sklearn_impute.py) on all of a study's masked tables in
// one Python process: the tables go to a job file in a fresh temporary folder, the script is
// spawned with array arguments (no shell), and its result file is read back and checked. A missing
// interpreter or scikit-learn is a result with its reason, never an exception: the study goes on
// without these peers and its report says why.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../node/project_root.ts';
import { cols, type StudyTable } from './table.ts';

export const SKLEARN_METHODS = ['knn', 'mice', 'forest'] as const;
export type SklearnMethod = (typeof SKLEARN_METHODS)[number];

export interface SklearnSettings {
  knn_k: number;
  mice_iter: number;
  forest_trees: number;
  forest_iter: number;
}

export interface PeerJob {
  id: string;
  seed: number;
  table: StudyTable;
}

export type PeerResults =
  | { available: true; sklearn: string; python: string; settings: SklearnSettings; imputed: Map<string, Record<SklearnMethod, Float64Array>>; seconds: Map<string, Record<SklearnMethod, number>> }
  | { available: false; reason: string };

/** The interpreter: $TVAE_PYTHON, else Debian's /usr/bin/python3 (where apt puts python3-sklearn). */
export const pythonPath = (): string => process.env.TVAE_PYTHON || '/usr/bin/python3';

export const SKLEARN_SCRIPT = join(projectRoot, 'bench/peers/sklearn_impute.py');

export async function runSklearnPeers(jobs: PeerJob[], settings: SklearnSettings, o: { python?: string; log?: (l: string) => void; signal?: AbortSignal } = {}): Promise<PeerResults> {
  const python = o.python ?? pythonPath();
  const dir = mkdtempSync(join(tmpdir(), 'tvae-tables-peers-'));
  try {
    const jobFile = join(dir, 'jobs.json'), outFile = join(dir, 'result.json');
    writeFileSync(jobFile, JSON.stringify({
      settings,
      jobs: jobs.map((j) => ({
        id: j.id, seed: j.seed,
        columns: j.table.columns.map((c) => ({ type: c.type, levels: c.levels?.length ?? 0 })),
        values: rowsOf(j.table),
      })),
    }));
    const run = await spawnLogged(python, [SKLEARN_SCRIPT, '--jobs', jobFile, '--out', outFile], o.log, o.signal);
    if (run.error) return { available: false, reason: `could not run ${python} (${run.error})` };
    if (run.code !== 0) return { available: false, reason: `${python} ${SKLEARN_SCRIPT} exited with ${run.code}: ${run.stderr.trim().split('\n').pop()}` };
    const r = JSON.parse(readFileSync(outFile, 'utf8')) as { available: boolean; reason?: string; sklearn: string; python: string; settings: SklearnSettings; results: ({ id: string; seconds: Record<SklearnMethod, number> } & Record<SklearnMethod, number[][]>)[] };
    if (!r.available) return { available: false, reason: r.reason ?? 'the peer script said it cannot run' };
    const imputed = new Map<string, Record<SklearnMethod, Float64Array>>(), seconds = new Map<string, Record<SklearnMethod, number>>();
    for (const job of jobs) {
      const got = r.results.find((x) => x.id === job.id);
      if (!got) throw new Error(`sklearn peers returned no result for ${job.id}`);
      const one = {} as Record<SklearnMethod, Float64Array>;
      for (const m of SKLEARN_METHODS) {
        const flat = Float64Array.from(got[m].flat());
        if (flat.length !== job.table.values.length) throw new Error(`sklearn ${m} returned ${flat.length} cells for ${job.id}, expected ${job.table.values.length}`);
        one[m] = flat;
      }
      imputed.set(job.id, one);
      seconds.set(job.id, got.seconds);
    }
    return { available: true, sklearn: r.sklearn, python: r.python, settings: r.settings, imputed, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Row arrays with null for a hole (JSON has no NaN). */
function rowsOf(t: StudyTable): (number | null)[][] {
  const d = cols(t);
  return Array.from({ length: t.rows }, (_, i) => Array.from(t.values.subarray(i * d, (i + 1) * d), (v) => (Number.isNaN(v) ? null : v)));
}

function spawnLogged(cmd: string, args: string[], log?: (l: string) => void, signal?: AbortSignal): Promise<{ code: number | null; stderr: string; error?: string }> {
  return new Promise((resolve) => {
    // the study aborts the peers when its own work fails, so no Python process outlives it
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], signal });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      stderr += s;
      for (const line of s.split('\n')) if (line.startsWith('sklearn peers:')) log?.(line);
    });
    child.on('error', (e: NodeJS.ErrnoException) => resolve({ code: null, stderr, error: e.code ?? e.message }));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}
