// One line for any error on the page: the project's own errors are already a sentence. (The
// page's training session moved into the training worker, worker/train_worker.ts; the page
// modules and the playground share this helper.)
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.name === 'TvaeError' ? e.message : `${e.name}: ${e.message}`;
  return String(e);
}
