// Downloads: the weights of one model as named PyTorch-layout tensors in a weights.safetensors
// file (the same file the CLI writes), and any bytes saved through a temporary link.
import { encodeSafetensors } from '../io/safetensors.ts';
import type { VaeConfig } from '../model/vae_gpu.ts';
import { namedWeights } from '../model/named_weights.ts';
import { modelLayout } from '../parts/model.ts';

export function weightsFile(config: VaeConfig, params: Float32Array, epoch: number): Uint8Array {
  const named = namedWeights(modelLayout(config), config.shape.encoder.length, params);
  const tensors = Object.fromEntries(Object.entries(named).map(([k, t]) => [k, { dtype: 'F32' as const, ...t }]));
  return encodeSafetensors(tensors, { epoch: String(epoch), model: JSON.stringify(config) });
}

export function saveBytes(bytes: Uint8Array, filename: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // revoked later: some browsers read the URL after click() returns
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
