// How the trainer derives the seeds of its noise streams from the run's seed: shared with the
// checks that replay a run's noise on the CPU (src/eval/kl_check.ts).

const VALID_SEED_SALT = 0x5bd1e995;

/** The validation stream's seed: apart from the training noise, the same for every epoch. */
export function validationSeed(seed: number): number {
  return (seed ^ VALID_SEED_SALT) >>> 0;
}
