// The training page's live scatter plots for the synthetic 2-D sets: after each epoch, the test
// points, 2,000 generated samples (decoder mean plus its learned noise) and the reconstructions of
// the test points, drawn side by side with shared axes by the same uPlot chart as the report's.
import { createBoundEvaluator } from '../eval/bounds.ts';
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
