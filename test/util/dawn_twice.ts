// Child program of test/dawn_runtime.test.ts: in one process, opens a Node-runtime worker, trains a
// tiny VAE for one epoch, closes it, forces a garbage collection (which would free a dropped Dawn
// instance, the crash this guards against) and does it all again. Prints both results as JSON.
import { openDawnWorker } from '../../src/node/dawn_worker.ts';

const D = 16;
const images = (count: number, salt: number) => Uint8Array.from({ length: count * D }, (_, i) => (i * 37 + salt * 11) % 256);
const config = { shape: { encoder: [D, 8], latent: 2, decoder: [8, D] }, prior: { kind: 'gaussian' }, batch: 4, optimizer: { kind: 'sgd', lr: 0.01 }, seed: 1 };

async function oneRun() {
  const w = await openDawnWorker({ blobs: new Map([['train', images(8, 1)], ['valid', images(4, 2)]]) });
  try {
    await w.call('init', { config, train: { count: 8, D }, valid: { count: 4, D } });
    const e = await w.call<{ trainLoss: number; validLoss: number }>('runEpoch');
    return { adapter: `${w.adapter.vendor} ${w.adapter.architecture}`, driver: w.adapter.driver, trainLoss: e.trainLoss, validLoss: e.validLoss };
  } finally {
    await w.close();
  }
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const first = await oneRun();
gc();
await new Promise((r) => setTimeout(r, 50)); // let Dawn's callbacks run after the collection
const second = await oneRun();
console.log(JSON.stringify({ first, second }));
