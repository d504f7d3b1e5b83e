// A job (`npm start`, the reference study and every named study) owns its --out folder. job.json
// there names the options that define the job, the planned runs, and how far each got (trained,
// evaluated, report written), so that the same command plus --resume continues after any stop:
// Ctrl-C, SIGTERM, SIGKILL or a crash. Finished models are reused, an interrupted one continues
// from its last checkpoint (the machinery of `npm run train -- --resume`), and since training from a
// checkpoint and evaluation are both deterministic, the report comes out number for number as if
// nothing had happened. job.json is replaced atomically (tmp + rename), so it is always whole.
import * as fs from 'node:fs';
import { join, relative } from 'node:path';
import { fail } from '../errors.ts';
import { readCheckpoint, readJson, writeJson } from '../io/run_folder.ts';
import { claimRunFolder, type ClaimedFolder } from '../io/run_target.ts';
import { checkOutTarget } from '../io/out_target.ts';
import { LOCK_NAME } from '../io/lock.ts';
import { onInterrupt } from '../node/interrupts.ts';
import { trainRun, type RunIo } from '../train/run.ts';
import { parseTrainArgs } from './validate_args.ts';
import type { TrainOptions } from './train_options.ts';
import type { EpochStats } from '../train/trainer.ts';
import { shellQuote } from '../io/shell_quote.ts';

export const JOB_FILE = 'job.json';

/** What defines a job: the study and the options the user gave (undefined = not given). */
export type JobOptions = Record<string, string | number | boolean | number[] | undefined>;

interface RunEntry {
  /** relative to the job folder */
  dir: string;
  trained: boolean;
  evaluated: boolean;
}

interface Manifest {
  tvaeJob: 1;
  study: string;
  options: JobOptions;
  runs: RunEntry[];
  report: boolean;
}

const isBookkeeping = (name: string) => name === LOCK_NAME || name.startsWith(`${LOCK_NAME}.`) || /\.tmp-\d+$/.test(name);
const show = (v: unknown) => (v === undefined ? 'not given' : typeof v === 'string' ? v : JSON.stringify(v));
const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function readManifest(out: string): Manifest {
  const m = readJson<Manifest>(join(out, JOB_FILE), 'job manifest');
  if (m?.tvaeJob !== 1 || typeof m.study !== 'string' || typeof m.options !== 'object' || !Array.isArray(m.runs)) {
    fail(`${join(out, JOB_FILE)} is not a tvae job manifest`);
  }
  return m;
}

/** The first option that differs between the saved job and this command, as a sentence. */
function difference(study: string, options: JobOptions, m: Manifest): string | undefined {
  if (m.study !== study) return `--study ${m.study}, not ${study}`;
  const keys = new Set([...Object.keys(m.options), ...Object.keys(options)]);
  for (const k of [...keys].sort()) {
    const a = m.options[k], b = options[k];
    if (JSON.stringify(a) !== JSON.stringify(b)) return `${flag(k)} ${show(a)}, not ${show(b)}`;
  }
  return undefined;
}

/** Refuses an --out the job must not use, before anything is written or any adapter starts: a
 *  folder holding anything that is not a tvae job (the user's own report.md), a job without
 *  --resume, --resume of another job or of nothing, a device or kernel file system. */
export function checkJobTarget(out: string, study: string, options: JobOptions, resume: boolean): void {
  checkOutTarget(out, '--out'); // no /proc, /sys, /dev, file or unwritable place
  if (!fs.existsSync(out)) {
    if (resume) fail(`--resume: ${out} not found (no job to continue)`);
    return;
  }
  const names = fs.readdirSync(out).filter((n) => !isBookkeeping(n));
  if (names.includes(JOB_FILE)) {
    const m = readManifest(out);
    if (!resume) fail(`--out ${out} holds a tvae job already (${JOB_FILE}); continue it with --resume, or pass another --out`);
    const d = difference(study, options, m);
    if (d) fail(`--resume: the job in ${out} was started with ${d}; pass the same options to continue it`);
  } else if (resume) {
    fail(`--resume: ${out} holds no tvae job (no ${JOB_FILE})`);
  } else if (names.length > 0) {
    const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
    fail(`--out ${out} is not empty and holds no tvae job (${shown}); pass a new or empty folder, nothing of yours is overwritten`);
  }
}

/** The command that continues the job: the user's arguments with --out made absolute (the default
 *  --out carries a time stamp) and --resume added, quoted for the shell. */
export function jobResumeLine(argv: string[], out: string): string {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') i++;
    else if (argv[i].startsWith('--out=') || argv[i] === '--resume') continue;
    else args.push(argv[i]);
  }
  return `npm start -- ${[...args, '--out', out, '--resume'].map(shellQuote).join(' ')}`;
}

export class Job {
  private stopInterrupt: () => void;
  /** job.json exists (written once the runs are planned, so a failed adapter probe leaves nothing) */
  private written: boolean;

  private constructor(readonly out: string, private m: Manifest, private claim: ClaimedFolder, readonly resumeLine: string) {
    this.written = m.runs.length > 0;
    // runs after every other handler (a run's own line, its checkpoint saved): the summary last
    this.stopInterrupt = onInterrupt((signal) => {
      if (!this.written) {
        // stopped before the runs were planned: nothing of the job exists yet
        this.claim.abandon();
        return `interrupted (${signal}) before the first model started; nothing was saved: run the same command again`;
      }
      this.claim.lock.release();
      return `interrupted (${signal}): ${this.describe()}; resume with: ${this.resumeLine}`;
    }, { last: true });
  }

  /** Creates and locks the folder (checked again under the lock) and writes or reads job.json. */
  static open(out: string, study: string, options: JobOptions, resume: boolean, argv: string[]): Job {
    checkJobTarget(out, study, options, resume);
    const claim = claimRunFolder(out);
    try {
      checkJobTarget(out, study, options, resume);
    } catch (e) {
      claim.abandon();
      throw e;
    }
    const m: Manifest = resume ? readManifest(out) : { tvaeJob: 1, study, options, runs: [], report: false };
    return new Job(out, m, claim, jobResumeLine(argv, out));
  }

  private save(): void {
    writeJson(join(this.out, JOB_FILE), this.m);
    this.written = true;
  }

  private entry(dir: string): RunEntry {
    const rel = relative(this.out, dir);
    return this.m.runs.find((r) => r.dir === rel) ?? fail(`${dir} is not a planned run of the job in ${this.out}`);
  }

  describe(): string {
    const t = this.m.runs.filter((r) => r.trained).length, e = this.m.runs.filter((r) => r.evaluated).length;
    if (this.m.runs.length === 0) return `${this.out} holds the job's options, no model yet`;
    return `${this.out} keeps ${t} of ${this.m.runs.length} models trained, ${e} evaluated${this.m.report ? ', the report written' : ''}`;
  }

  /** The runs this job trains, decided once the adapter is known; a resumed job must plan the same. */
  plan(dirs: string[]): void {
    const rel = dirs.map((d) => relative(this.out, d));
    if (this.m.runs.length > 0) {
      const saved = this.m.runs.map((r) => r.dir);
      if (saved.join('\n') !== rel.join('\n')) {
        fail(`--resume: the job in ${this.out} planned ${saved.length} runs (${saved.join(', ')}), this adapter plans ${rel.length} (${rel.join(', ')}); resume it where it started or pass --seeds, --epochs and --limit`);
      }
      return;
    }
    this.m.runs = rel.map((dir) => ({ dir, trained: false, evaluated: false }));
    this.save();
  }

  /** Trains one planned run, or continues it from its checkpoint, or reuses it when finished. */
  async train(args: string[], io: RunIo, adjust: (o: TrainOptions) => void = () => undefined): Promise<{ reused: boolean; history: EpochStats[]; epochs: number }> {
    let opts = parseTrainArgs(args);
    adjust(opts);
    const e = this.entry(opts.out);
    if (e.trained || finished(opts.out)) {
      if (!e.trained) ((e.trained = true), this.save());
      io.log(`reused: ${opts.out} finished training before`);
      const history = readJson<EpochStats[]>(join(opts.out, 'history.json'), 'training history');
      return { reused: true, history, epochs: history.length };
    }
    if (fs.existsSync(join(opts.out, 'config.json'))) {
      opts = parseTrainArgs([...args, '--resume']);
      adjust(opts);
      io.log(`continuing ${opts.out} from its last checkpoint`);
    }
    const { history } = await trainRun(opts, { ...io, inJob: true });
    e.trained = true;
    this.save();
    return { reused: false, history, epochs: opts.epochs };
  }

  evaluated(dir: string): void {
    const e = this.entry(dir);
    if (e.evaluated) return;
    e.evaluated = true;
    this.save();
  }

  /** The report is written: the job is complete; the folder is given back. */
  finish(): void {
    this.m.report = true;
    this.save();
    this.stopInterrupt();
    this.claim.lock.release();
  }

  /** A failure (not an interrupt): the folder stays resumable (or, before the plan, is given back). */
  release(): void {
    this.stopInterrupt();
    if (this.written) this.claim.lock.release();
    else this.claim.abandon();
  }

  get started(): boolean {
    return this.written;
  }
}

/** A run folder whose checkpoint holds every epoch its config.json asked for (killed between the
 *  end of its training and the manifest's update, it is still finished). */
function finished(dir: string): boolean {
  try {
    const cfg = readJson<{ options?: { epochs?: unknown } }>(join(dir, 'config.json'), 'run configuration');
    const epochs = cfg.options?.epochs;
    return typeof epochs === 'number' && readCheckpoint(join(dir, 'checkpoint.safetensors')).epoch >= epochs;
  } catch {
    return false;
  }
}

/** Runs the job's body; a failure leaves the folder resumable and says so under the error. */
export async function runJob<T>(job: Job, body: () => Promise<T>): Promise<T> {
  try {
    const r = await body();
    job.finish();
    return r;
  } catch (e) {
    job.release();
    if (job.started) console.error(`${job.describe()}; after fixing the cause, continue with: ${job.resumeLine}`);
    throw e;
  }
}
