// The imputation playground: one test digit (or one drawn by hand) whose holes are painted with
// the pointer or taken from the protocol's masks, filled live by each model with the protocol's
// three imputers (prediction, pseudo-Gibbs, Metropolis-within-Gibbs), each scored by the MSE on
// the holes. GPU work runs on the caller's device; every fill runs in one loop (fill_scheduler.ts),
// so new weights from setModels are written between fills, never under a running one.
import './playground.css';
import { errorText } from '../app_session.ts';
import { createEvaluator, type Evaluator } from '../../eval/gpu_eval.ts';
import { randomPixelMask, squaresMask } from '../../eval/masks.ts';
import { PROTOCOL } from '../../eval/protocol.ts';
import type { GpuContext } from '../../gpu/context.ts';
import type { VaeConfig } from '../../model/vae_gpu.ts';
import { stampSegment } from './brush.ts';
import { createControls } from './controls.ts';
import { createEditor } from './editor.ts';
import { fillOne, METHODS, zeroFillMse, type Method, type ModelFill } from './fill.ts';
import { createFillScheduler } from './fill_scheduler.ts';
import { createResultsView } from './results_view.ts';
import { validateImages, validateModels, type PlaygroundModel, type TestImages } from './validate.ts';

export type { PlaygroundModel } from './validate.ts';

export interface PlaygroundState {
  /** the chosen test image, -1 for a drawn digit, undefined before setImages */
  index?: number;
  source: 'test' | 'drawn' | 'none';
  D: number;
  /** pixels marked missing */
  missing: number;
  /** the last protocol mask applied and its seed (painting afterwards keeps them as they were) */
  lastMask?: { kind: 'random 30%' | '50 squares 1-4'; seed: number };
  /** MSE of the holes left at 0, on the mask of the last fill */
  zeroMse?: number;
  models: {
    label: string;
    /** MSE on the missing pixels per method, from the last fill (undefined: not filled yet, or no holes) */
    mse: Partial<Record<Method, number>>;
    /** observed pixels that differ from the image, per method (0 when the fill is right) */
    observedChanged: Partial<Record<Method, number>>;
    mwgAcceptance?: number;
  }[];
  /** a fill is waiting, running or due to run again */
  busy: boolean;
  /** bumped by every change of image, mask or models; the last fill saw `filledVersion` */
  version: number;
  filledVersion: number;
  fills: number;
  lastResponseMs?: number;
  /** evaluators built so far: only a changed config builds one, new weights are written in place */
  evaluatorBuilds: number;
  error?: string;
}

export interface Playground {
  setModels(models: PlaygroundModel[]): void;
  setImages(test: TestImages): void;
  state(): PlaygroundState;
  destroy(): void;
}

interface Slot {
  label: string;
  config: VaeConfig;
  /** the config with the evaluator's batch (1): equal keys share pipelines and buffers */
  key: string;
  ev: Evaluator;
  params: Float32Array;
}

const SCALE = 8;
const DEBOUNCE_MS = 150;

export function createPlayground(root: HTMLElement, ctx: GpuContext): Playground {
  let images: TestImages | undefined;
  let side = 28;
  let image = new Float32Array(side * side);
  let mask: Uint8Array = new Uint8Array(side * side);
  let index: number | undefined;
  let lastMask: PlaygroundState['lastMask'];
  let maskClicks = 0;
  let active: Slot[] = [];
  let pending: Slot[] | undefined; // set by setModels, swapped in at the next fill's start
  let fills: (ModelFill | undefined)[] = [];
  let zeroMse: number | undefined;
  let version = 0, filledVersion = 0, fillCount = 0, builds = 0;
  let lastMs: number | undefined;
  let error: string | undefined;
  let destroyed = false;

  const box = document.createElement('div');
  box.className = 'pg';
  const errorLine = Object.assign(document.createElement('p'), { className: 'pg-error', hidden: true });
  errorLine.dataset.pg = 'error';
  const timing = Object.assign(document.createElement('p'), { className: 'pg-timing' });
  timing.dataset.pg = 'timing';
  let editor = makeEditor();
  let results = createResultsView(side, 4);
  const left = document.createElement('div');
  left.className = 'pg-left';
  const controls = createControls({
    pick: (i) => chooseImage(i),
    next: () => images && chooseImage(((index ?? -1) + 1) % images.count),
    random: () => {
      if (!images) return;
      // a different image each click, uniform over the others
      const cur = index ?? -1, n = images.count;
      if (n === 1) return chooseImage(0);
      let j = Math.floor(Math.random() * (cur >= 0 ? n - 1 : n));
      if (cur >= 0 && j >= cur) j++;
      chooseImage(j);
    },
    draw: () => {
      image = new Float32Array(side * side);
      mask = new Uint8Array(side * side);
      index = -1;
      controls.showImage(-1, images?.count ?? 1);
      controls.setTool('ink');
      changed(true);
    },
    clear: () => setMask(new Uint8Array(side * side), undefined),
    random30: () => {
      const seed = PROTOCOL.maskSeed + maskClicks++;
      setMask(randomPixelMask(1, side * side, 0.3, seed), { kind: 'random 30%', seed });
    },
    squares: () => {
      const seed = PROTOCOL.maskSeed + maskClicks++;
      setMask(squaresMask(1, side, side, { squares: 50, minSide: 1, maxSide: 4, seed }), { kind: '50 squares 1-4', seed });
    },
    fill: () => scheduler.now(),
  });
  left.append(editor.canvas, controls.root, timing);
  box.append(left, results.root);
  root.append(errorLine, box);
  const scheduler = createFillScheduler(fill, DEBOUNCE_MS);
  results.message('Waiting for test images and models.');

  function makeEditor() {
    return createEditor(side, SCALE, {
      paint(from, to) {
        const tool = controls.tool();
        const ink = tool === 'ink';
        if (ink && index !== -1) return; // ink only on a drawn digit: a test digit stays the truth
        const n = stampSegment(ink ? image : mask, { rows: side, cols: side }, from, to, controls.brush(), tool === 'mask' || ink ? 1 : 0);
        if (n > 0) changed(false);
      },
      strokeEnd: () => scheduler.request(),
    });
  }

  /** Redraws the editor; `fillNow` schedules a fill (a stroke schedules its own when it ends). */
  function changed(fillNow: boolean): void {
    version++;
    editor.draw(image, mask);
    if (fillNow) scheduler.request();
  }

  function setMask(m: Uint8Array, kind: PlaygroundState['lastMask']): void {
    mask = m;
    lastMask = kind;
    changed(true);
  }

  function chooseImage(i: number): void {
    if (!images) return;
    if (!(Number.isInteger(i) && i >= 0 && i < images.count)) {
      showError(`test digit index must be an integer in 0..${images.count - 1}, got ${i}`);
      return;
    }
    index = i;
    image = images.pixels.slice(i * images.D, (i + 1) * images.D);
    controls.showImage(i, images.count);
    changed(true); // the holes stay: the same mask on another digit
  }

  function showError(text: string | undefined): void {
    error = text;
    errorLine.hidden = text === undefined;
    errorLine.textContent = text ?? '';
  }

  async function fill(): Promise<void> {
    if (destroyed) return;
    if (pending) {
      for (const s of pending) s.ev.setParams(s.params);
      active = pending;
      pending = undefined;
      results.setModels(active.map((s) => s.label));
      fills = [];
    }
    const seen = version;
    if (!images || active.length === 0) return void (filledVersion = seen);
    // copies: the pointer may paint while the GPU works
    const x = image.slice(), m = mask.slice();
    const t0 = performance.now();
    try {
      const holes = m.some((v) => v !== 0);
      const out: (ModelFill | undefined)[] = [];
      for (const s of active) out.push(holes ? await fillOne(s.ev, x, m) : undefined);
      if (destroyed) return;
      lastMs = performance.now() - t0;
      fills = out;
      zeroMse = holes ? zeroFillMse(x, m) : undefined;
      results.show(fills, zeroMse, lastMs);
      timing.textContent = holes ? `Last fill: ${lastMs.toFixed(0)} ms for ${active.length} model${active.length > 1 ? 's' : ''} x 3 methods` : '';
      fillCount++;
      showError(undefined);
    } catch (e) {
      showError(`fill failed: ${errorText(e)}`);
    }
    filledVersion = seen;
  }

  return {
    setImages(test) {
      const s = validateImages(test);
      if (active.length || pending) validateModels(pending ?? active, test.D);
      images = { pixels: test.pixels.slice(), count: test.count, D: test.D };
      const oldSide = side;
      if (s !== side) {
        // another image size: new canvases (the evaluators were checked against this D above)
        side = s;
        image = new Float32Array(side * side);
        mask = new Uint8Array(side * side);
        lastMask = undefined;
        const oldEditor = editor.canvas, oldResults = results.root;
        editor = makeEditor();
        results = createResultsView(side, 4);
        oldEditor.replaceWith(editor.canvas);
        oldResults.replaceWith(results.root);
        results.setModels((pending ?? active).map((sl) => sl.label));
      }
      // a drawn digit stays (unless the size changed); a test digit is taken again from the new set
      if (index === -1 && s === oldSide) changed(true);
      else chooseImage(index !== undefined && index >= 0 && index < test.count ? index : 0);
    },
    setModels(models) {
      validateModels(models, images?.D);
      const base = pending ?? active;
      const next = models.map((m, i): Slot => {
        const key = JSON.stringify({ ...m.config, batch: 1 });
        const prev = base[i];
        if (prev && prev.key === key) return { ...prev, label: m.label, config: m.config, params: m.params.slice() };
        builds++;
        // netState (batch-norm statistics) is not passed: createEvaluator has no parameter for it yet
        return { label: m.label, config: m.config, key, ev: createEvaluator(ctx, m.config, m.params, 1), params: m.params.slice() };
      });
      pending = next;
      version++;
      scheduler.request();
    },
    state() {
      const src: PlaygroundState['source'] = index === undefined ? 'none' : index < 0 ? 'drawn' : 'test';
      let missing = 0;
      for (let i = 0; i < mask.length; i++) missing += mask[i];
      const slots = pending ?? active;
      return {
        index,
        source: src,
        D: side * side,
        missing,
        lastMask,
        zeroMse,
        models: slots.map((s, i) => {
          const f = slots === active ? fills[i] : undefined;
          const pick = <T>(g: (r: ModelFill[Method]) => T) => Object.fromEntries(f ? METHODS.map(({ key }) => [key, g(f[key])]) : []) as Partial<Record<Method, T>>;
          return { label: s.label, mse: pick((r) => r.missingMse), observedChanged: pick((r) => r.observedChanged), mwgAcceptance: f?.mwg.acceptance };
        }),
        busy: scheduler.busy,
        version,
        filledVersion,
        fills: fillCount,
        lastResponseMs: lastMs,
        evaluatorBuilds: builds,
        error,
      };
    },
    destroy() {
      destroyed = true;
      scheduler.cancel();
      root.replaceChildren();
    },
  };
}

