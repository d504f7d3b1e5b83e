// The test harness without a browser: the same probes as the harness page (test/page/all_probes.ts)
// served in-process on a Dawn device from the Node runtime (TVAE_TEST_RUNTIME=node). Arguments are
// structured-cloned and errors reworded as the page's are, so a test sees the same behaviour in
// either runtime.
import { TvaeError } from '../../src/errors.ts';
import { openDawnDevice } from '../../src/node/dawn_worker.ts';
import { allProbes } from '../page/all_probes.ts';
import type { ProbeHarness } from './harness.ts';

export async function openNodeHarness(log: (line: string) => void): Promise<ProbeHarness> {
  const { device, ctx, adapter } = await openDawnDevice(log);
  const probes = allProbes(ctx) as unknown as Record<string, (a: unknown) => Promise<unknown>>;
  return {
    adapter,
    runtime: 'node',
    async call<T>(fn: string, args: unknown = {}): Promise<T> {
      const f = probes[fn];
      if (!f) throw new TvaeError(`the harness has no probe ${fn}`);
      try {
        // a copy, as through the page: a probe must not see (or change) the test's own arrays
        return (await f(structuredClone(args))) as T;
      } catch (e) {
        throw new TvaeError(e instanceof Error ? (e.name === 'TvaeError' ? e.message : `${e.name}: ${e.message}`) : String(e));
      }
    },
    async close() {
      device.destroy(); // the Dawn instance stays for the process (src/node/dawn_instance.ts)
    },
  };
}
