// Live GPU buffer bytes of one device, counted by wrapping its createBuffer and each buffer's
// destroy (so every creator is counted, the kernels' own helpers and readBytes' staging buffers
// alike, without touching them). A scope collects the buffers created while it is open, so that a
// caller whose code has no destroy of its own (a trainer, a bound evaluator) can free them all.
// A buffer only dropped for the garbage collector stays counted: that is the growth to catch.
// WebGPU has no "bytes in use" query, so wrapping the one allocation entry point is the only
// complete count (the page's memory figures and the bench's memory section both read this).

export interface BufferStats {
  /** bytes and count of buffers created and not destroyed */
  live(): { bytes: number; buffers: number };
  /** bytes and count of every buffer ever created (grows with staging buffers even when live is flat) */
  created(): { bytes: number; buffers: number };
  /** live bytes grouped by the label's first word (e.g. "train.images" -> "train") */
  liveByLabel(): Record<string, number>;
  /** buffers created from now on are also recorded in the returned scope */
  scope(): BufferScope;
}

export interface BufferScope {
  /** destroys every buffer created while the scope was open (and closes it) */
  destroyAll(): void;
  close(): void;
}

export function trackBuffers(device: GPUDevice): BufferStats {
  const live = new Map<GPUBuffer, { size: number; label: string }>();
  const scopes = new Set<Set<GPUBuffer>>();
  let createdBytes = 0, createdCount = 0;
  const create = device.createBuffer.bind(device);
  device.createBuffer = (desc: GPUBufferDescriptor): GPUBuffer => {
    const b = create(desc);
    live.set(b, { size: desc.size, label: desc.label ?? '(unlabelled)' });
    createdBytes += desc.size;
    createdCount++;
    for (const s of scopes) s.add(b);
    const destroy = b.destroy.bind(b);
    b.destroy = () => {
      live.delete(b);
      destroy();
    };
    return b;
  };
  return {
    live() {
      let bytes = 0;
      for (const b of live.values()) bytes += b.size;
      return { bytes, buffers: live.size };
    },
    created: () => ({ bytes: createdBytes, buffers: createdCount }),
    liveByLabel() {
      const out: Record<string, number> = {};
      for (const b of live.values()) {
        const key = b.label.replace(/[.(].*$/, '');
        out[key] = (out[key] ?? 0) + b.size;
      }
      return out;
    },
    scope() {
      const set = new Set<GPUBuffer>();
      scopes.add(set);
      return {
        destroyAll() {
          scopes.delete(set);
          for (const b of set) b.destroy();
          set.clear();
        },
        close() {
          scopes.delete(set);
        },
      };
    },
  };
}
