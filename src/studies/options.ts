// What every study run by name takes from `npm start` (each study adds its own options).
export interface StudyOptions {
  out: string;
  seeds?: number;
  /** epochs per model (default: the study's, scaled down on a software adapter) */
  epochs?: number;
  /** training items per model (default: the study's) */
  limit?: number;
  /** test items evaluated */
  testLimit?: number;
}
