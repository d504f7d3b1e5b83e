// The app page's display: adapter line, status, the one message line, the progress bar, the
// epoch table, the live loss chart and which buttons are enabled. No training logic here.
import type { AdapterDescription } from '../gpu/device.ts';
import type { EpochStats } from '../train/trainer.ts';
import { renderLossChart, type LossChart } from './loss_chart.ts';

const TABLE_ROWS = 10;

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
  progress(epoch: number, target: number, done: number, steps: number): void;
  history(history: readonly EpochStats[], target: number): void;
  buttons(enabled: ButtonStates): void;
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
  const bar = byId<HTMLProgressElement>('progress');
  const barLabel = byId<HTMLSpanElement>('progress-label');
  const speedEl = byId<HTMLSpanElement>('speed');
  const chartEl = byId<HTMLDivElement>('chart');
  const tbody = byId<HTMLTableElement>('epochs').tBodies[0];
  let chart: LossChart | undefined;

  return {
    adapter(a) {
      const name = [a.vendor, a.architecture, a.description].filter(Boolean).join(' ') || 'unnamed adapter';
      adapterEl.textContent = `WebGPU adapter: ${name}${a.isSoftware ? ' (software rendering: slow, sizes scaled down)' : ''}`;
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
    progress(epoch, target, done, steps) {
      bar.max = Math.max(1, steps);
      bar.value = done;
      barLabel.textContent = steps > 0 ? `epoch ${epoch} of ${target}: step ${done} of ${steps}` : '';
    },
    history(history, target) {
      // the chart is created on first use so that it measures the laid-out width of its box
      chartEl.hidden = history.length === 0; // empty axes say nothing
      if (!chart) chart = renderLossChart(chartEl, history, { fitWidth: true });
      else chart.update(history);
      const rows = history.slice(-TABLE_ROWS).reverse().map((s) => {
        const tr = document.createElement('tr');
        for (const v of [String(s.epoch), f3(s.trainRe), f3(s.trainKl), f3(s.validRe), f3(s.validKl), s.seconds.toFixed(2)]) {
          const td = document.createElement('td');
          td.textContent = v;
          tr.append(td);
        }
        return tr;
      });
      tbody.replaceChildren(...rows);
      const last = history.at(-1);
      const left = last ? (target - last.epoch) * last.seconds : 0;
      speedEl.textContent = !last ? '' : `${last.seconds.toFixed(2)} s per epoch` + (left > 0 ? `, about ${duration(left)} to epoch ${target}` : '');
    },
    buttons(enabled) {
      for (const [id, on] of Object.entries(enabled)) byId<HTMLButtonElement>(id).disabled = !on;
    },
  };
}
