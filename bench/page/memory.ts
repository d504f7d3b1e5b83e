// Counts the GPU memory the project allocates on the bench page's device: every createBuffer is
// recorded with its size and label until destroyed. WebGPU has no "bytes in use" query, so
// wrapping the one allocation entry point is the only complete count (TF.js uses its own device
// and is not counted).
export interface MemoryTracker {
  /** bytes of buffers created and not destroyed */
  liveBytes(): number;
  /** bytes of every buffer ever created (grows with staging buffers even when live is flat) */
  createdBytes(): number;
  createdCount(): number;
  /** live bytes grouped by the label's first word (e.g. "train.images", "params") */
  liveByLabel(): Record<string, number>;
}

export function trackBuffers(device: GPUDevice): MemoryTracker {
  const live = new Map<GPUBuffer, { size: number; label: string }>();
  let created = 0, count = 0;
  const create = device.createBuffer.bind(device);
  device.createBuffer = (desc: GPUBufferDescriptor): GPUBuffer => {
    const buffer = create(desc);
    live.set(buffer, { size: desc.size, label: desc.label ?? '(unlabelled)' });
    created += desc.size;
    count++;
    const destroy = buffer.destroy.bind(buffer);
    buffer.destroy = () => {
      live.delete(buffer);
      destroy();
    };
    return buffer;
  };
  return {
    liveBytes: () => [...live.values()].reduce((s, b) => s + b.size, 0),
    createdBytes: () => created,
    createdCount: () => count,
    liveByLabel() {
      const out: Record<string, number> = {};
      for (const b of live.values()) {
        const key = b.label.replace(/[.(].*$/, '');
        out[key] = (out[key] ?? 0) + b.size;
      }
      return out;
    },
  };
}
