// The page's latent explorer, after a model trained on MNIST: for a conditional VAE the analogy
// row of a chosen test image (its z from the encoder, decoded with each of the 10 labels), and for
// a latent-2 model a scatter of the test-set means coloured by digit over which the pointer moves
// a z: the image decoded at the cursor follows it (for a CVAE, with the label chosen).
import uPlot from 'uplot';
import { createBoundEvaluator, type BoundEvaluator } from '../eval/bounds.ts';
import type { ImageSet } from '../data/idx_parse.ts';
import { toFloatPixels } from '../data/split.ts';
import type { BufferScope, BufferStats } from '../gpu/buffer_stats.ts';
import type { GpuContext } from '../gpu/context.ts';
import type { VaeConfig } from '../model/vae_gpu.ts';
import { gridCanvas } from './image_grid.ts';
import { renderScatter } from './scatter_chart.ts';

const DIGIT_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

export interface ExplorerState {
  conditional: boolean;
  /** the analogy row: test image index and the mean |difference| between neighbouring labels' images */
  analogy?: { index: number; images: number; labelSpread: number };
  /** the last z decoded from the pointer over the scatter, and how many times it decoded */
  pointer?: { z: [number, number]; decodes: number; label: number };
  scatterPoints?: number;
}

export interface LatentExplorer {
  state(): ExplorerState;
  showAnalogy(index: number): Promise<void>;
  destroy(): void;
}

/** Builds the explorer into `root` for a trained model; `x`, `labels`: the test images and labels. */
export async function createLatentExplorer(ctx: GpuContext, config: VaeConfig, params: Float32Array, x: Float32Array, labels: Uint8Array, rows: number, cols: number, root: HTMLElement): Promise<LatentExplorer> {
  const ev: BoundEvaluator = createBoundEvaluator(ctx, config, params, 500);
  const D = rows * cols, L = config.shape.latent, conditional = Boolean(config.classes);
  const n = Math.min(1000, labels.length);
  const lab = Uint32Array.from(labels.subarray(0, n));
  const st: ExplorerState = { conditional };
  root.hidden = false;
  root.replaceChildren();
  const head = document.createElement('h3');
  head.textContent = conditional ? 'Conditional VAE: one z, ten labels' : 'Latent space';
  root.append(head);

  let analogyBox: HTMLElement | undefined;
  if (conditional) {
    const bar = document.createElement('label');
    bar.textContent = 'Test image ';
    const pick = document.createElement('input');
    pick.type = 'number'; pick.min = '0'; pick.max = String(n - 1); pick.value = '0'; pick.id = 'analogy-index';
    bar.append(pick);
    analogyBox = document.createElement('div');
    analogyBox.id = 'analogy';
    root.append(bar, analogyBox);
    pick.addEventListener('change', () => void showAnalogy(Number(pick.value)));
  }

  async function showAnalogy(index: number): Promise<void> {
    if (!analogyBox || !(Number.isInteger(index) && index >= 0 && index < n)) return;
    const img = x.subarray(index * D, (index + 1) * D);
    const mu = await ev.encodeMeans(img, 1, lab.subarray(index, index + 1));
    const z = new Float32Array(10 * L);
    for (let c = 0; c < 10; c++) z.set(mu, c * L);
    const dec = (await ev.decode(z, 10, Uint32Array.from({ length: 10 }, (_, c) => c))).map(sigmoid);
    const row = new Float32Array(11 * D);
    row.set(img, 0);
    row.set(dec, D);
    analogyBox.replaceChildren(gridCanvas(row, 11, rows, cols, 11, 2));
    let spread = 0;
    for (let c = 1; c < 10; c++) for (let i = 0; i < D; i++) spread += Math.abs(dec[c * D + i] - dec[(c - 1) * D + i]) / (9 * D);
    st.analogy = { index, images: 10, labelSpread: spread };
  }

  let plot: uPlot | undefined;
  if (L === 2) {
    const mu = await ev.encodeMeans(x.subarray(0, n * D), n, conditional ? lab : undefined);
    const series = DIGIT_COLORS.map((color, d) => {
      const idx = [...lab.keys()].filter((i) => lab[i] === d);
      return { label: String(d), color, points: Float32Array.from(idx.flatMap((i) => [mu[2 * i], mu[2 * i + 1]])) };
    });
    const line = document.createElement('div');
    line.className = 'scatter';
    const chart = document.createElement('div');
    chart.id = 'latent-scatter';
    const side = document.createElement('div');
    const picked = document.createElement('div');
    picked.id = 'latent-decoded';
    const labelSel = document.createElement('select');
    labelSel.id = 'latent-label';
    for (let d = 0; d < 10; d++) labelSel.append(new Option(`label ${d}`, String(d)));
    side.append(...(conditional ? [labelSel] : []), picked);
    line.append(chart, side);
    root.append(line);
    plot = renderScatter(chart, series, { title: 'test-set means by digit: move the pointer to decode', width: 420, height: 420 });
    st.scatterPoints = n;
    let busy = false, decodes = 0;
    const over = plot.over;
    // the pointer's position over the plotting area, mapped through the axes' current ranges
    // (uPlot's own cursor is off for scatter charts)
    chart.addEventListener('mousemove', (e: MouseEvent) => {
      if (busy || !plot) return;
      const r = over.getBoundingClientRect();
      const fx = (e.clientX - r.left) / r.width, fy = (e.clientY - r.top) / r.height;
      if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) return;
      const sx = plot.scales.x, sy = plot.scales.y;
      const z: [number, number] = [sx.min! + fx * (sx.max! - sx.min!), sy.max! - fy * (sy.max! - sy.min!)];
      const label = Number(labelSel.value);
      busy = true;
      void ev.decode(Float32Array.from(z), 1, conditional ? Uint32Array.of(label) : undefined).then((out) => {
        picked.replaceChildren(gridCanvas(out.map(sigmoid), 1, rows, cols, 1, 6));
        decodes++;
        st.pointer = { z, decodes, label };
      }).finally(() => { busy = false; });
    });
  }
  if (conditional) await showAnalogy(0);
  return { state: () => st, showAnalogy, destroy: () => plot?.destroy() };
}

/** What a rebuild needs: the views' device and buffer tracker, the model and the test set. */
export interface ExplorerSource {
  ctx: GpuContext;
  buffers: BufferStats;
  config: VaeConfig;
  params: Float32Array;
  test: ImageSet;
}

/** The page's one explorer, rebuilt after an epoch (for the first model) and dropped with the session. */
export interface ExplorerSlot {
  update(): Promise<void>;
  state(): ExplorerState | undefined;
  clear(): void;
}

/** `source()` gives the model to explore, or undefined when there is none (a synthetic session, no
 *  weights yet); only a CVAE or a latent-2 model gets an explorer. An epoch that ends while one is
 *  being built is skipped: the next epoch rebuilds it. */
export function createExplorerSlot(root: HTMLElement, source: () => ExplorerSource | undefined, onError: (e: unknown) => void): ExplorerSlot {
  let explorer: LatentExplorer | undefined;
  let scope: BufferScope | undefined;
  let busy = false;
  const clear = () => {
    explorer?.destroy();
    explorer = undefined;
    scope?.destroyAll(); // the explorer's evaluator
    scope = undefined;
  };
  async function update(): Promise<void> {
    const s = source();
    if (!s || busy) return;
    if (!s.config.classes && s.config.shape.latent !== 2) return;
    busy = true;
    try {
      const n = Math.min(1000, s.test.count);
      clear();
      scope = s.buffers.scope();
      explorer = await createLatentExplorer(s.ctx, s.config, s.params, toFloatPixels(s.test, n), s.test.labels.subarray(0, n), s.test.rows, s.test.cols, root);
      scope.close();
    } catch (e) {
      onError(e);
    } finally {
      busy = false;
    }
  }
  return { update, state: () => explorer?.state(), clear: () => { clear(); root.hidden = true; } };
}
