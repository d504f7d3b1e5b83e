// Counts the GPU memory the project allocates on the bench page's device: every createBuffer is
// recorded with its size and label until destroyed (src/gpu/buffer_stats.ts; TF.js uses its own
// device and is not counted).
import { trackBuffers as trackDeviceBuffers } from '../../src/gpu/buffer_stats.ts';

export interface MemoryTracker {
  /** bytes of buffers created and not destroyed */
  liveBytes(): number;
  /** bytes of every buffer ever created (grows with staging buffers even when live is flat) */
  createdBytes(): number;
  createdCount(): number;
  /** live bytes grouped by the label's first word (e.g. "train.images", "params") */
  liveByLabel(): Record<string, number>;
}

/** The bench's view of src/gpu/buffer_stats.ts (the page's counter), installed on its device. */
export function trackBuffers(device: GPUDevice): MemoryTracker {
  const stats = trackDeviceBuffers(device);
  return {
    liveBytes: () => stats.live().bytes,
    createdBytes: () => stats.created().bytes,
    createdCount: () => stats.created().buffers,
    liveByLabel: () => stats.liveByLabel(),
  };
}
