// The app page's display: adapter line, status, the one message line, the device-loss note, the
// progress bar, the epoch table (every model), the responsiveness line and which buttons are
// enabled (and what they do when clicked). No training logic here.
import type { AdapterDescription } from '../gpu/device.ts';
import type { EpochStats } from '../train/trainer.ts';
import type { Responsiveness } from './responsiveness.ts';

const TABLE_ROWS = 12;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no #${id}`);
  return el as T;
}

export interface ButtonStates {
  train: boolean;
  stop: boolean;
  resume: boolean;
  download: boolean;
  evaluate: boolean;
}

export interface AppView {
  adapter(a: AdapterDescription): void;
  noWebGpu(reason: string): void;
  status(text: string): void;
  /** the single message line: an error (validation or training) or undefined to clear it */
  message(text: string | undefined): void;
  /** the device-loss line: what happened and how training went on */
  deviceNote(text: string | undefined): void;
  progress(label: string, epoch: number, target: number, done: number, steps: number): void;
  history(models: readonly { label: string; history: readonly EpochStats[] }[], target: number): void;
  perf(r: Responsiveness): void;
  buttons(enabled: ButtonStates): void;
  /** what each button does when clicked */
  onClick(handlers: Record<keyof ButtonStates, () => void>): void;
}

const f3 = (v: number) => v.toFixed(3);

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function createView(): AppView {
  const adapterEl = byId<HTMLParagraphElement>('adapter');
  const statusEl = byId<HTMLParagraphElement>('status');
  const messageEl = byId<HTMLParagraphElement>('message');
  const deviceEl = byId<HTMLParagraphElement>('device-note');
  const bar = byId<HTMLProgressElement>('progress');
  const barLabel = byId<HTMLSpanElement>('progress-label');
  const speedEl = byId<HTMLParagraphElement>('speed');
  const perfEl = byId<HTMLParagraphElement>('perf');
  const tbody = byId<HTMLTableElement>('epochs').tBodies[0];

  return {
    adapter(a) {
      const name = [a.vendor, a.architecture, a.description].filter(Boolean).join(' ') || 'unnamed adapter';
      adapterEl.textContent = `WebGPU adapter: ${name}${a.featureLevel === 'compatibility' ? ' (WebGPU compatibility mode)' : ''}${a.isSoftware ? ' (software rendering: slow, sizes scaled down)' : ''}`;
      adapterEl.classList.toggle('software', a.isSoftware);
    },
    noWebGpu(reason) {
      adapterEl.textContent = `WebGPU is not available, so this page cannot train. ${reason} ` +
        'In Chrome or Edge 113+, open this page on http://localhost or https; on Linux enable ' +
        'chrome://flags/#enable-unsafe-webgpu (and #enable-vulkan), then reload.';
      adapterEl.classList.add('error');
    },
    status(text) {
      statusEl.textContent = text;
    },
    message(text) {
      messageEl.hidden = text === undefined;
      messageEl.textContent = text ?? '';
    },
    deviceNote(text) {
      deviceEl.hidden = text === undefined;
      deviceEl.textContent = text ?? '';
    },
    progress(label, epoch, target, done, steps) {
      bar.max = Math.max(1, steps);
      bar.value = done;
      barLabel.textContent = steps > 0 ? `${label}: epoch ${epoch} of ${target}, step ${done} of ${steps}` : '';
    },
    history(models, target) {
      const rows = models.flatMap((m) => m.history.map((s) => ({ s, label: m.label })))
        .sort((a, b) => b.s.epoch - a.s.epoch)
        .slice(0, TABLE_ROWS * Math.max(1, models.length))
        .map(({ s, label }) => {
          const tr = document.createElement('tr');
          for (const v of [String(s.epoch), label, f3(s.trainRe), f3(s.trainKl), f3(s.validRe), f3(s.validKl), s.seconds.toFixed(2)]) {
            const td = document.createElement('td');
            td.textContent = v;
            tr.append(td);
          }
          return tr;
        });
      tbody.replaceChildren(...rows);
      const lasts = models.map((m) => m.history.at(-1)).filter((s) => s !== undefined);
      const perEpoch = lasts.reduce((a, s) => a + s.seconds, 0);
      const epoch = Math.min(...lasts.map((s) => s.epoch));
      const left = lasts.length ? (target - epoch) * perEpoch : 0;
      speedEl.textContent = !lasts.length ? '' : `${perEpoch.toFixed(2)} s per epoch${models.length > 1 ? ` (${models.length} models)` : ''}` + (left > 0 ? `, about ${duration(left)} to epoch ${target}` : '');
    },
    perf(r) {
      perfEl.textContent = r.frames === 0 ? '' : `Main thread while training: longest task ${r.longTaskApi ? `${Math.round(r.longestTaskMs)} ms (${r.longTasks} over 50 ms)` : 'not measured (no Long Tasks API)'}, longest gap between frames ${Math.round(r.longestFrameGapMs)} ms over ${r.frames} frames`;
    },
    buttons(enabled) {
      for (const [id, on] of Object.entries(enabled)) byId<HTMLButtonElement>(id).disabled = !on;
    },
    onClick(handlers) {
      for (const [id, f] of Object.entries(handlers)) byId<HTMLButtonElement>(id).addEventListener('click', () => f());
    },
  };
}
