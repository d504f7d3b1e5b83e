// The VAE side of the study: trains a VAE with the given prior on the masked table itself (its
// holes and the real ones) and returns the completed table in the study's cell form. The model,
// its likelihood parts and its imputer are the tables work's (branch tables-core: imputeTable);
// until that is merged there is no VAE here, and the study says so instead of reporting one.
import type { StudyTable } from './table.ts';

export type Prior = 'gaussian' | 't';

export interface VaeRequest {
  /** the table with the study's holes (NaN), real holes included */
  table: StudyTable;
  prior: Prior;
  seed: number;
  epochs: number;
  log?: (l: string) => void;
}

export type VaeImpute = (r: VaeRequest) => Promise<Float64Array>;

export type VaeAvailability = { impute: VaeImpute; describe: string } | { impute?: undefined; reason: string };

export async function vaeImputer(): Promise<VaeAvailability> {
  return { reason: 'the tables VAE (imputeTable, branch tables-core) is not merged into this build' };
}
