// Entry of the conv bench page (bench/conv.html): our device and TensorFlow.js's WebGPU backend
// side by side; Node (bench/conv.ts) calls `conv` once.
import { exposeApi, startPage } from '../../src/page/api.ts';
import { convMicrobench } from './conv_micro.ts';
import { startTf } from './tf_setup.ts';

const started = await startPage();
if (started) {
  const tfInfo = await startTf();
  exposeApi({
    info: () => ({ adapter: started.adapter, tf: tfInfo }),
    conv: (a: { batch: number; reps: number }) => convMicrobench(started.ctx, a.batch, a.reps),
  });
}
