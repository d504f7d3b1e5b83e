// CPU reference of shaders/gather_batch.wgsl: rows of byte images picked by an order, scaled to [0,1].
export function gatherBatchRef(images: Uint8Array, D: number, order: ArrayLike<number>, batchIndex: number, B: number): Float64Array {
  const x = new Float64Array(B * D);
  for (let m = 0; m < B; m++) {
    const img = order[batchIndex * B + m];
    for (let d = 0; d < D; d++) x[m * D + d] = images[img * D + d] / 255;
  }
  return x;
}
