// The training page's live scatter plots for the synthetic 2-D sets: after each epoch, the test
// points, 2,000 generated samples (decoder mean plus its learned noise) and the reconstructions of
// the test points, drawn side by side with shared axes by the same uPlot chart as the report's;
// createLiveScatter keeps them following the training, one drawing at a time.
import { createBoundEvaluator } from '../eval/bounds.ts';
import type { BufferStats } from '../gpu/buffer_stats.ts';
import type { GpuContext } from '../gpu/context.ts';
import { unpackExtra } from '../model/param_layout.ts';
import type { VaeConfig } from '../model/vae_gpu.ts';
import { modelLayout } from '../parts/model.ts';
import { createRng } from '../rng.ts';
import { commonRange, renderScatter } from './scatter_chart.ts';

export interface ScatterState {
  epoch: number;
  panels: { title: string; points: number }[];
  /** every drawn value finite */
  finite: boolean;
}

const SAMPLES = 2000;

export async function drawLiveScatter(ctx: GpuContext, config: VaeConfig, params: Float32Array, test: Float32Array, epoch: number, el: HTMLElement): Promise<ScatterState> {
  const ev = createBoundEvaluator(ctx, config, params, 500);
  const n = test.length / 2;
  const recon = await ev.reconstruct(test, n);
  const means = await ev.generate(SAMPLES);
  const lv = unpackExtra(modelLayout(config), params);
  const r = createRng(epoch + 1);
  const samples = means.map((m, i) => m + (lv.length ? Math.exp(0.5 * lv[i % lv.length]) : 1) * r.normal());
  const panels = [
    { title: 'test data', series: [{ label: 'data', points: test, color: '#888888' }] },
    { title: `generated (epoch ${epoch})`, series: [{ label: 'samples', points: samples, color: '#1f5fbf' }] },
    { title: `reconstructions (epoch ${epoch})`, series: [{ label: 'data', points: test, color: '#bbbbbb' }, { label: 'reconstructions', points: recon, color: '#c0392b' }] },
  ];
  const range = commonRange([test, samples, recon]);
  el.hidden = false;
  el.replaceChildren();
  for (const p of panels) {
    const box = document.createElement('div');
    el.append(box);
    renderScatter(box, p.series, { title: p.title, range, width: 320, height: 320 });
  }
  return {
    epoch,
    panels: panels.map((p) => ({ title: p.title, points: p.series[p.series.length - 1].points.length / 2 })),
    finite: [...samples, ...recon].every(Number.isFinite),
  };
}

/** What a redraw needs: the views' device and buffer tracker, the model, its synthetic test points. */
export interface ScatterSource {
  ctx: GpuContext;
  buffers: BufferStats;
  config: VaeConfig;
  params: Float32Array;
  test: Float32Array;
  epoch: number;
}

export interface LiveScatter {
  /** redraw for the newest epoch `source()` gives (undefined: nothing to draw) */
  update(): Promise<void>;
  /** the last drawing, for appState() */
  state(): ScatterState | undefined;
  /** a new session: the last drawing is forgotten */
  reset(): void;
}

/** The plots of the first model after each epoch, one drawing at a time. An epoch that ends while
 *  the plots are still drawing is not dropped: once the drawing ends, they are drawn again for the
 *  newest epoch (on a fast adapter the last epoch's plots were missing). */
export function createLiveScatter(el: HTMLElement, source: () => ScatterSource | undefined, onError: (e: unknown) => void): LiveScatter {
  let last: ScatterState | undefined;
  let busy = false;
  let again = false;
  async function update(): Promise<void> {
    if (busy) {
      again = true;
      return;
    }
    const s = source();
    if (!s) return;
    busy = true;
    again = false;
    const scope = s.buffers.scope(); // the evaluator's buffers go with the drawing
    try {
      last = await drawLiveScatter(s.ctx, s.config, s.params, s.test, s.epoch, el);
    } catch (e) {
      onError(e);
    } finally {
      scope.destroyAll();
      busy = false;
    }
    if (again && source()?.epoch !== last?.epoch) await update();
  }
  return { update, state: () => last, reset: () => { last = undefined; } };
}
