// TensorFlow.js on the WebGPU backend, on the same page and adapter as our kernels. It requests
// its own device (the backend owns its queue and buffer manager); on this machine there is one
// adapter, so both run on it. `tfSync` waits for TF.js's queue the way `wallMs` waits for ours
// (flush, then onSubmittedWorkDone), so neither side's timing includes a readback.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone ships no gradients; the full tfjs bundle registers them with this import
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-webgpu';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { awaitAsIs, type Settle } from '../../src/gpu/settle.ts';

// how the host waits on TF.js's queue: as it waits on ours (the bench API sets the context's)
let settle: Settle = awaitAsIs;
export function setTfSettle(s: Settle): void {
  settle = s;
}

export interface TfInfo {
  backend: string;
  version: string;
  /** why TF.js could not start here: the bench then runs without this peer and says so */
  error?: string;
}

export async function startTf(): Promise<TfInfo> {
  try {
    if (!(await tf.setBackend('webgpu'))) throw new Error('TensorFlow.js could not start its WebGPU backend');
    await tf.ready();
  } catch (e) {
    // a peer that cannot start on this runtime or adapter must not cost the bench our numbers
    return { backend: 'none', version: tf.version_core, error: e instanceof Error ? e.message : String(e) };
  }
  return { backend: tf.getBackend(), version: tf.version_core };
}

export async function tfSync(): Promise<void> {
  const backend = tf.backend() as WebGPUBackend;
  // the backend's own flush sequence (as in its read path): end the open pass, submit
  backend.ensureCommandEncoderReady();
  backend.endComputePassEncoder();
  backend.submitQueue();
  await settle(backend.queue.onSubmittedWorkDone());
}

/** Wall milliseconds of `reps` calls of `f` (outputs disposed), to queue completion. */
export async function tfWallMs(f: () => tf.Tensor, reps: number): Promise<number> {
  await tfSync();
  const t0 = performance.now();
  const outs: tf.Tensor[] = [];
  for (let r = 0; r < reps; r++) outs.push(f());
  await tfSync();
  const ms = performance.now() - t0;
  tf.dispose(outs);
  return ms;
}

export { tf };
