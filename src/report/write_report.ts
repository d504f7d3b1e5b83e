// Writes the report folder: report.md (settings, training summary, the metric table, next to the
// reference's figures in the reference study only) and PNG figures (loss curves, reconstructions, 30 draws, samples, imputations).
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../io/run_folder.ts';
import type { Evaluation } from '../eval/run_eval.ts';
import { scoresTable } from '../eval/table.ts';
import { grayscaleGridPng } from './png.ts';
import { describeRecord } from '../tune/record.ts';

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export interface ReportExtras {
  lossCurvesPng?: Uint8Array;
  notes: string[];
  /** the mean ± sd table over seeds, and one verdict sentence per t model */
  summary?: string;
  verdicts?: string[];
  /** the reference's columns in the every-run table: only the reference study trains its models */
  reference?: boolean;
  /** the runs whose images are shown (all by default; one seed keeps the report short) */
  imageRuns?: Evaluation['runs'];
}

export function writeReport(dir: string, e: Evaluation, extra: ReportExtras): string {
  mkdirSync(dir, { recursive: true });
  const D = e.rows * e.cols;
  const png = (name: string, images: Float32Array, count: number, perRow: number) => {
    writeFileAtomic(join(dir, name), grayscaleGridPng(images, count, e.rows, e.cols, { perRow, scale: 2 }));
    return `![${name}](${name})`;
  };
  const first = (a: Float32Array, k: number) => a.subarray(0, k * D);
  const stack = (...parts: Float32Array[]) => {
    const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) (out.set(p, at), (at += p.length));
    return out;
  };
  const md: string[] = ['# tvae report', '', ...extra.notes.map((n) => `- ${n}`), `- evaluated on ${e.n} test images, adapter ${e.adapter}`, ''];
  md.push('## Training', '');
  md.push('| model | epochs | final train RE | final train KL | final valid RE | final valid KL | s/epoch |', '|---|---|---|---|---|---|---|');
  for (const r of e.runs) {
    const h = r.run.history.at(-1);
    const secs = r.run.history.reduce((s, x) => s + x.seconds, 0) / Math.max(1, r.run.history.length);
    md.push(h ? `| ${r.run.name}, seed ${r.run.config.seed} | ${h.epoch} | ${h.trainRe.toFixed(2)} | ${h.trainKl.toFixed(2)} | ${h.validRe.toFixed(2)} | ${h.validKl.toFixed(2)} | ${secs.toFixed(2)} |` : `| ${r.run.name}, seed ${r.run.config.seed} | 0 | | | | | |`);
  }
  if (extra.lossCurvesPng) {
    writeFileAtomic(join(dir, 'loss_curves.png'), extra.lossCurvesPng);
    md.push('', '![loss curves](loss_curves.png)');
  }
  // which GEMM variants trained each run: they round differently, and a resume forces them
  md.push('', 'Kernel variants each run trained with (its `kernels.json`, forced on every resume):', '');
  for (const r of e.runs) md.push(`- ${r.run.name}, seed ${r.run.config.seed}: ${describeRecord(r.run.kernels)}`);
  md.push('', '## Metrics', '');
  if (extra.summary) md.push(extra.summary, '', ...(extra.verdicts ?? []).map((v) => `- ${v}`), '', '### Every run', '');
  md.push(scoresTable(e, { reference: extra.reference }), '');
  md.push('Prediction: mean of the decoder outputs for the masked input over fresh latent draws; imputation: observed pixels kept, prediction where missing. Global SSIM is the reference\'s one SSIM over the whole test matrix; windowed SSIM is the per-image 7x7 mean (scikit-image defaults).', '');
  // strips of up to 10 test images (fewer when fewer were evaluated)
  const k = Math.min(10, e.x.length / D);
  md.push('## Images', '', `Test images (top) and reconstructions by each model:`, '', png('test_images.png', first(e.x, k), k, k), '');
  for (const r of extra.imageRuns ?? e.runs) {
    const s = slug(r.run.name);
    md.push(`### ${r.run.name}`, '');
    md.push('Reconstructions:', '', png(`${s}_reconstructions.png`, first(r.images.reconstruction, k), k, k), '');
    md.push('One test image decoded from 30 latent draws (the spread of the posterior):', '', png(`${s}_30_draws.png`, r.images.draws30, 30, 10), '');
    md.push('Samples from the prior:', '', png(`${s}_samples.png`, r.images.samples, r.images.samples.length / D, 8), '');
    e.maskNames.forEach((name, i) => {
      const m = r.images.perMask[i];
      md.push(`${name}: masked, predicted, imputed, original:`, '', png(`${s}_${slug(name)}.png`, stack(first(m.masked, k), first(m.prediction, k), first(m.imputation, k), first(e.x, k)), 4 * k, k), '');
    });
  }
  const path = join(dir, 'report.md');
  writeFileAtomic(path, md.join('\n'));
  return path;
}
