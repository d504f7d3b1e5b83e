// The tables page (tables.html): drop a CSV, check and edit the detected column types, see where
// the holes are, train the Gaussian and the t-prior VAE side by side in two workers with the
// held-out error per column after every epoch, and download the completed CSV (or M of them).
// Nothing leaves the tab: the file is read with FileReader-like Blob calls, never sent anywhere.
// window.tvaeApi.appState() is what the page test reads.
import type { AdapterDescription } from '../../gpu/device.ts';
import type { GpuWorker } from '../../node/worker.ts';
import { meanModeHeldOut, chooseHeldOut, type HeldOutScore, type ImputeResult } from '../../tables/impute_table.ts';
import { readTableBytes } from '../../tables/read_table.ts';
import type { ColumnType, TableData } from '../../tables/table.ts';
import { completedCsv } from '../../tables/write_table.ts';
import { exposeApi } from '../api.ts';
import { drawMissingMap } from './missing_map.ts';
import { trainPair, type Prior } from './train_pair.ts';
import { startTableWorker } from './worker_client.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const PRIORS: Prior[] = ['gaussian', 't'];
const NAMES: Record<Prior, string> = { gaussian: 'Gaussian prior', t: 't prior' };

interface State {
  status: 'starting' | 'no-table' | 'ready' | 'training' | 'done' | 'error';
  statusText: string;
  message?: string;
  adapter?: AdapterDescription;
  file?: { name: string; bytes: Uint8Array };
  types: Record<string, ColumnType>;
  table?: TableData;
  epochs: Record<Prior, number>;
  heldOut: Record<Prior, HeldOutScore[]>;
  baseline: HeldOutScore[];
  results?: Record<Prior, ImputeResult>;
  csv: Record<Prior, string[]>;
}

const s: State = { status: 'starting', statusText: 'starting', types: {}, epochs: { gaussian: 0, t: 0 }, heldOut: { gaussian: [], t: [] }, baseline: [], csv: { gaussian: [], t: [] } };
let workers: Record<Prior, GpuWorker> | undefined;

function setStatus(status: State['status'], text: string, message?: string): void {
  s.status = status;
  s.statusText = text;
  s.message = message;
  const el = $('status');
  el.textContent = message ? `${text}: ${message}` : text;
  el.classList.toggle('error', status === 'error');
  ($('train') as HTMLButtonElement).disabled = !(s.table && workers && (status === 'ready' || status === 'done'));
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Reads (or re-reads, after a type change) the dropped file; a bad file is one message. */
function readFile(): void {
  if (!s.file) return;
  try {
    const t = readTableBytes(s.file.bytes, s.file.name, { types: s.types });
    s.table = t;
    s.results = undefined;
    s.csv = { gaussian: [], t: [] };
    s.epochs = { gaussian: 0, t: 0 };
    s.heldOut = { gaussian: [], t: [] };
    s.baseline = meanModeHeldOut(t, chooseHeldOut(t, 0.1, seed()));
    renderTypes(t);
    drawMissingMap($('map'), t);
    renderHeldOut();
    $('downloads').replaceChildren();
    const missing = t.mask.length - t.mask.reduce((a, b) => a + b, 0);
    setStatus('ready', `${t.source}: ${t.rows} rows, ${t.columns.length} columns, ${missing} missing cells`);
  } catch (e) {
    s.table = undefined;
    $('types').replaceChildren();
    setStatus('error', 'the table cannot be read', errorText(e));
  }
}

function renderTypes(t: TableData): void {
  const rows = t.columns.map((c) => {
    const tr = document.createElement('tr');
    const sel = document.createElement('select');
    sel.name = `type:${c.name}`;
    for (const ty of ['real', 'binary', 'categorical'] as const) sel.add(new Option(ty, ty, false, ty === c.type));
    sel.addEventListener('change', () => { s.types = { ...s.types, [c.name]: sel.value as ColumnType }; readFile(); });
    const what = c.type === 'real' ? `mean ${c.mean.toPrecision(4)}, sd ${c.sd.toPrecision(4)}` : `${c.levels.length} levels`;
    tr.append(cell(c.name), tdOf(sel), cell(what), cell(`${((100 * c.observed) / t.rows).toFixed(0)}% observed`));
    return tr;
  });
  $('types').replaceChildren(head(['column', 'type', '', 'observed']), ...rows);
}

function renderHeldOut(): void {
  const t = s.table;
  if (!t) return;
  const by = (list: HeldOutScore[], name: string) => list.find((h) => h.column === name);
  const fmt = (h?: HeldOutScore) => (h ? h.error.toFixed(3) : '–');
  const rows = t.columns.filter((c) => by(s.baseline, c.name)).map((c) => {
    const tr = document.createElement('tr');
    tr.append(cell(c.name), cell(c.type), cell(String(by(s.baseline, c.name)!.cells)), cell(fmt(by(s.baseline, c.name))),
      cell(fmt(by(s.heldOut.gaussian, c.name)), 'gauss'), cell(fmt(by(s.heldOut.t, c.name)), 'tprior'));
    return tr;
  });
  $('heldout').replaceChildren(head(['column', 'type', 'held-out cells', 'mean/mode', `Gaussian prior (epoch ${s.epochs.gaussian})`, `t prior (epoch ${s.epochs.t})`]), ...rows);
}

function cell(text: string, cls?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}
const tdOf = (el: HTMLElement) => { const td = document.createElement('td'); td.append(el); return td; };
function head(names: string[]): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const n of names) { const th = document.createElement('th'); th.textContent = n; tr.append(th); }
  return tr;
}

const intOf = (id: string, min: number, max: number, what: string): number => {
  const v = Number(($(id) as HTMLInputElement).value);
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${what} must be an integer in ${min}..${max}, got "${($(id) as HTMLInputElement).value}"`);
  return v;
};
const seed = () => intOf('seed', 0, 0xffffffff, 'the seed');

async function train(): Promise<void> {
  const t = s.table, w = workers;
  if (!t || !w) return;
  let epochs: number, multiple: number;
  try {
    epochs = intOf('epochs', 1, 100000, 'epochs');
    multiple = intOf('multiple', 0, 20, 'M');
  } catch (e) {
    return setStatus('error', 'check the settings', errorText(e));
  }
  setStatus('training', `training both priors for ${epochs} epochs`);
  try {
    const results = await trainPair(w, t, {
      epochs, seed: seed(), multiple,
      onEpoch: (prior, epoch, _loss, heldOut) => {
        s.epochs[prior] = epoch;
        s.heldOut[prior] = heldOut;
        renderHeldOut();
        $('status').textContent = `training: Gaussian prior epoch ${s.epochs.gaussian}/${epochs}, t prior epoch ${s.epochs.t}/${epochs}`;
      },
    });
    s.results = results;
    for (const p of PRIORS) {
      s.heldOut[p] = results[p].heldOut;
      s.csv[p] = [completedCsv(t, results[p].completed), ...results[p].multiple.map((m) => completedCsv(t, m))];
    }
    renderHeldOut();
    renderDownloads(t);
    setStatus('done', `done: ${epochs} epochs per prior; the held-out errors above are the final models' (K = 100)`);
  } catch (e) {
    setStatus('error', 'training stopped', errorText(e));
  }
}

function renderDownloads(t: TableData): void {
  const base = t.source.replace(/\.[^.]*$/, '');
  const links = PRIORS.flatMap((p) => s.csv[p].map((text, i) => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
    a.download = `${base}-completed-${p}${i ? `-${i}` : ''}.csv`;
    a.textContent = i ? `completed table ${i} of ${s.csv[p].length - 1} (${NAMES[p]}, drawn)` : `completed CSV (${NAMES[p]})`;
    return a;
  }));
  $('downloads').replaceChildren(...links);
}

async function takeFile(f: File): Promise<void> {
  s.file = { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) };
  s.types = {};
  readFile();
}

const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const f = e.dataTransfer?.files[0];
  if (f) void takeFile(f);
});
($('file') as HTMLInputElement).addEventListener('change', (e) => {
  const f = (e.target as HTMLInputElement).files?.[0];
  if (f) void takeFile(f);
});
$('train').addEventListener('click', () => void train());

exposeApi({
  appState: () => ({
    status: s.status, statusText: s.statusText, message: s.message,
    table: s.table && { source: s.table.source, rows: s.table.rows, columns: s.table.columns.map((c) => ({ name: c.name, type: c.type })) },
    epochs: s.epochs, heldOut: s.heldOut, baseline: s.baseline, csv: s.csv,
    liveTypes: Array.from(document.querySelectorAll<HTMLSelectElement>('#types select'), (x) => x.value),
  }),
});

try {
  const [g, t] = await Promise.all([startTableWorker('tvae-table-gaussian'), startTableWorker('tvae-table-t')]);
  workers = { gaussian: g, t };
  s.adapter = g.adapter;
  $('adapter').textContent = `Adapter: ${g.adapter.vendor} ${g.adapter.architecture}${g.adapter.isSoftware ? ' (software: keep epochs low)' : ''}`;
  if (g.adapter.isSoftware) ($('epochs') as HTMLInputElement).value = '20';
  window.tvaeReady = { ok: true, adapter: g.adapter };
  setStatus('no-table', 'No table yet: drop a CSV.');
} catch (e) {
  window.tvaeReady = { ok: false, error: errorText(e) };
  $('adapter').textContent = `No WebGPU here: ${errorText(e)}`;
  setStatus('error', 'no GPU device', errorText(e));
}
