// Live GPU buffer bytes of one device, counted by wrapping its createBuffer and each buffer's
// destroy (so every creator is counted, the kernels' own helpers and readBytes' staging buffers
// alike, without touching them). A scope collects the buffers created while it is open, so that a
// caller whose code has no destroy of its own (a trainer, a bound evaluator) can free them all.
// A buffer only dropped for the garbage collector stays counted: that is the growth to catch.

export interface BufferStats {
  /** bytes and count of buffers created and not destroyed */
  live(): { bytes: number; buffers: number };
  /** buffers created from now on are also recorded in the returned scope */
  scope(): BufferScope;
}

export interface BufferScope {
  /** destroys every buffer created while the scope was open (and closes it) */
  destroyAll(): void;
  close(): void;
}

export function trackBuffers(device: GPUDevice): BufferStats {
  const live = new Map<GPUBuffer, number>();
  const scopes = new Set<Set<GPUBuffer>>();
  const create = device.createBuffer.bind(device);
  device.createBuffer = (desc: GPUBufferDescriptor): GPUBuffer => {
    const b = create(desc);
    live.set(b, desc.size);
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
      for (const n of live.values()) bytes += n;
      return { bytes, buffers: live.size };
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
