// The app's training form: reads and validates the settings (one clear TvaeError for the first
// bad field) and turns them into the trainer's VaeConfig; fills in a data set's or an adapter's
// defaults and disables the fields that mean nothing for the chosen prior.
import { DEFAULT_SIZES } from '../data/split.ts';
import { SYNTHETIC, type SyntheticName } from '../data/synthetic.ts';
import { fail, requirePositiveFinite, requirePositiveInt } from '../errors.ts';
import type { VaeConfig } from '../model/vae_gpu.ts';

export interface AppSettings {
  model: 'gaussian' | 't';
  /** 'mnist' or 'synthetic:NAME' */
  data: string;
  posterior: 'diag' | 'full';
  conditional: boolean;
  /** also train the same model with the other prior, side by side */
  compare: boolean;
  nu: number;
  multivariate: boolean;
  hidden: number[];
  latent: number;
  batch: number;
  lr: number;
  optimizer: 'sgd' | 'adam';
  seed: number;
  epochs: number;
  limit: number;
  validLimit: number;
}

/** The form's fields by name (the `name` attributes in index.html). */
export type FieldName = keyof AppSettings;

export const SOFTWARE_TRAIN_LIMIT = 2000;
export const SOFTWARE_VALID_LIMIT = 500;
/** training points of a synthetic set on a software adapter (the lecture's 20,000-40,000 take minutes an epoch) */
const SOFTWARE_SYNTHETIC_LIMIT = 4000;

type Field = HTMLInputElement | HTMLSelectElement;

export function field(form: HTMLFormElement, name: FieldName): Field {
  const el = form.elements.namedItem(name);
  if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement)) throw new Error(`the form has no field "${name}"`);
  return el;
}

function text(form: HTMLFormElement, name: FieldName): string {
  return field(form, name).value.trim();
}

function number(form: HTMLFormElement, name: FieldName, label: string): number {
  const v = text(form, name), n = Number(v);
  if (v === '' || !Number.isFinite(n)) fail(`${label} must be a number, got "${v}"`);
  return n;
}

function integer(form: HTMLFormElement, name: FieldName, label: string): number {
  const n = number(form, name, label);
  requirePositiveInt(label, n);
  return n;
}

/** Reads just the epochs field (Resume only changes how far the same run goes). */
export function readEpochs(form: HTMLFormElement): number {
  return integer(form, 'epochs', 'epochs');
}

/** Reads every field; throws a TvaeError naming the first invalid one. */
export function readSettings(form: HTMLFormElement, available: { train: number; valid: number }): AppSettings {
  const model = text(form, 'model') === 't' ? 't' : 'gaussian';
  const data = text(form, 'data') || 'mnist';
  const posterior = text(form, 'posterior') === 'full' ? 'full' : 'diag';
  if (posterior === 'full' && model !== 'gaussian') fail('a full-covariance posterior needs the Gaussian prior');
  const conditional = (field(form, 'conditional') as HTMLInputElement).checked;
  if (conditional && data !== 'mnist') fail('a conditional VAE needs labelled images (MNIST)');
  const compare = (field(form, 'compare') as HTMLInputElement).checked;
  const optimizer = text(form, 'optimizer') === 'adam' ? 'adam' : 'sgd';
  // nu and multivariate mean nothing for the Gaussian prior, so a stale nu there is no error
  const nu = model === 't' ? number(form, 'nu', 'nu (degrees of freedom)') : 21;
  if (model === 't') requirePositiveFinite('nu (degrees of freedom)', nu);
  const multivariate = model === 't' && (field(form, 'multivariate') as HTMLInputElement).checked;
  const hiddenText = text(form, 'hidden');
  const hidden = hiddenText === '' ? [] : hiddenText.split(',').map((s) => Number(s.trim()));
  for (const w of hidden) {
    if (!Number.isInteger(w) || w < 1) fail(`hidden widths must be positive integers separated by commas, got "${hiddenText}"`);
  }
  const latent = integer(form, 'latent', 'latent dimension');
  const batch = integer(form, 'batch', 'batch size');
  const lr = number(form, 'lr', 'learning rate (lr)');
  requirePositiveFinite('learning rate (lr)', lr);
  const seed = number(form, 'seed', 'seed');
  if (!Number.isInteger(seed) || seed < 0) fail(`seed must be an integer >= 0, got ${seed}`);
  const epochs = integer(form, 'epochs', 'epochs');
  const limit = integer(form, 'limit', 'training images');
  const validLimit = integer(form, 'validLimit', 'validation images');
  if (limit > available.train) fail(`training images: ${limit} is more than the ${available.train} available`);
  if (validLimit > available.valid) fail(`validation images: ${validLimit} is more than the ${available.valid} available`);
  if (batch > limit) fail(`batch size ${batch} is larger than the training set (${limit} images)`);
  if (batch > validLimit) fail(`batch size ${batch} is larger than the validation set (${validLimit} images); lower the batch or raise the validation images`);
  return { model, data, posterior, conditional, compare, nu, multivariate, hidden, latent, batch, lr, optimizer, seed, epochs, limit, validLimit };
}

/** The trainer's model configuration; the decoder mirrors the encoder's hidden widths. */
export function toVaeConfig(s: AppSettings, D: number): VaeConfig {
  return {
    shape: { encoder: [D, ...s.hidden], latent: s.latent, decoder: [...s.hidden].reverse().concat(D) },
    prior: s.model === 't' ? { kind: 't', nu: s.nu } : { kind: 'gaussian' },
    multivariate: s.multivariate,
    ...(s.posterior === 'full' ? { posterior: 'full' as const } : {}),
    ...(s.conditional ? { classes: 10 } : {}),
    // real-valued synthetic points: a Gaussian decoder with a learned variance, as the lecture's
    ...(s.data.startsWith('synthetic:') ? { likelihood: { kind: 'gaussian' as const, variance: 'learned' as const } } : {}),
    batch: s.batch,
    optimizer: s.optimizer === 'adam' ? { kind: 'adam', lr: s.lr } : { kind: 'sgd', lr: s.lr },
    seed: s.seed,
  };
}

/** The label of a configuration's prior, as the page's views and downloads name a model. */
export function priorLabel(c: VaeConfig): string {
  if (c.prior.kind !== 't') return c.posterior === 'full' ? 'Gaussian (full covariance)' : 'Gaussian';
  return `t (nu=${c.prior.nu}${c.multivariate ? ', multivariate' : ''})`;
}

/** The side-by-side partner of a configuration: the same network, data and seed, the other prior
 *  (a t prior takes a diagonal posterior; `nu`, `multivariate`: the form's t settings). */
export function otherPrior(c: VaeConfig, nu: number, multivariate: boolean): VaeConfig {
  const { posterior: _full, ...rest } = c;
  return c.prior.kind === 't' ? { ...rest, prior: { kind: 'gaussian' }, multivariate: false } : { ...rest, prior: { kind: 't', nu }, multivariate };
}

/** The form shows a loaded run's settings, so that Resume's epochs and a new Train start from
 *  them (the caller then re-syncs the fields that depend on the prior). */
export function writeSettings(form: HTMLFormElement, c: VaeConfig, d: { trainImages: number; validImages: number }, compare: boolean, epochs: number): void {
  const set = (name: FieldName, v: string | boolean) => {
    const el = field(form, name);
    if (typeof v === 'boolean') (el as HTMLInputElement).checked = v;
    else el.value = v;
  };
  set('data', 'mnist');
  set('model', c.prior.kind === 't' ? 't' : 'gaussian');
  if (c.prior.kind === 't') set('nu', String(c.prior.nu));
  set('multivariate', Boolean(c.multivariate));
  set('posterior', c.posterior ?? 'diag');
  set('conditional', Boolean(c.classes));
  set('compare', compare);
  set('hidden', c.shape.encoder.slice(1).join(','));
  set('latent', String(c.shape.latent));
  set('optimizer', c.optimizer.kind);
  set('lr', String(c.optimizer.lr));
  set('batch', String(c.batch));
  set('seed', String(c.seed));
  set('limit', String(d.trainImages));
  set('validLimit', String(d.validImages));
  set('epochs', String(epochs));
}

/** The t prior's options mean nothing for a Gaussian prior, unless it is compared with a t. */
export function syncModelFields(form: HTMLFormElement): void {
  const t = field(form, 'model').value === 't';
  const compare = (field(form, 'compare') as HTMLInputElement).checked;
  field(form, 'nu').disabled = !t && !compare;
  field(form, 'multivariate').disabled = !t && !compare;
  if (t) field(form, 'posterior').value = 'diag';
  field(form, 'posterior').disabled = t;
}

/** Choosing a data set fills in its study's settings: the reference's for MNIST, the lecture's
 *  (Adam 1e-3, batch 32, [128, 128], latent 2, its epochs) for a synthetic set; `note` says what. */
export function syncDataFields(form: HTMLFormElement, software: boolean, note: HTMLElement): void {
  const d = field(form, 'data').value;
  const set = (name: 'hidden' | 'latent' | 'batch' | 'lr' | 'optimizer' | 'epochs' | 'limit' | 'validLimit', v: string) => { field(form, name).value = v; };
  if (d.startsWith('synthetic:')) {
    const spec = SYNTHETIC[d.slice('synthetic:'.length) as SyntheticName];
    set('hidden', '128,128'); set('latent', '2'); set('batch', '32'); set('lr', '0.001'); set('optimizer', 'adam');
    set('epochs', String(software ? 10 : spec.epochs));
    set('limit', String(software ? SOFTWARE_SYNTHETIC_LIMIT : spec.train)); set('validLimit', '1000');
    note.textContent = `Points generated from the seeded formula: ${spec.train.toLocaleString('en')} training points and ${spec.epochs} epochs in the lecture${software ? `; this software adapter starts with ${SOFTWARE_SYNTHETIC_LIMIT.toLocaleString('en')} points and 10 epochs` : ''}. The scatter plots (first model) redraw after every epoch.`;
  } else {
    set('hidden', '400,128'); set('latent', '10'); set('batch', '500'); set('lr', '0.005'); set('optimizer', 'sgd'); set('epochs', '300');
    const [trainAll, validAll] = DEFAULT_SIZES;
    set('limit', String(software ? SOFTWARE_TRAIN_LIMIT : trainAll)); set('validLimit', String(software ? SOFTWARE_VALID_LIMIT : validAll));
  }
}

/** The image limits an adapter starts with: a software adapter (SwiftShader) runs an epoch of all
 *  55,000 images in many minutes, so it starts with a few thousand; `note` says so. */
export function adapterLimits(form: HTMLFormElement, software: boolean, note: HTMLElement): void {
  const [trainAll, validAll] = DEFAULT_SIZES;
  field(form, 'limit').value = String(software ? SOFTWARE_TRAIN_LIMIT : trainAll);
  field(form, 'validLimit').value = String(software ? SOFTWARE_VALID_LIMIT : validAll);
  note.textContent = software
    ? `This is a software adapter (no GPU acceleration), so the page trains on the first ${SOFTWARE_TRAIN_LIMIT.toLocaleString('en')} of ${trainAll.toLocaleString('en')} training images and validates on ${SOFTWARE_VALID_LIMIT} to keep an epoch short; raise the limits to use more.`
    : `All ${trainAll.toLocaleString('en')} training and ${validAll.toLocaleString('en')} validation images.`;
}

/** The session's models: the form's, and with "side by side" the same one with the other prior. */
export function modelSpecs(config: VaeConfig, compare: boolean, nu: number, multivariate: boolean): { label: string; config: VaeConfig }[] {
  const specs = [{ label: priorLabel(config), config }];
  if (compare) {
    const other = otherPrior(config, nu, multivariate);
    specs.push({ label: priorLabel(other), config: other });
  }
  return specs;
}
