// The GPU bundle's first stage: which adapter the Node runtime gets on this machine (Vulkan driver,
// vendor, architecture, features, the limits the trainer asks for), written as JSON and printed,
// so a run cut off later still says what it ran on. Exit 1 when there is no adapter.
//   node adapter.mjs [--json FILE]
import { writeFileSync } from 'node:fs';
import { dawnInstance, noAdapterMessage } from '../src/node/dawn_instance.ts';

async function main(): Promise<number> {
  const jsonAt = process.argv.indexOf('--json');
  const { gpu, driver } = await dawnInstance();
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    console.log(`adapter: NONE (${noAdapterMessage(driver)})`);
    return 1;
  }
  const info = adapter.info;
  const limits: Record<string, number> = {};
  for (const k of ['maxBufferSize', 'maxStorageBufferBindingSize', 'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxStorageBuffersPerShaderStage', 'maxComputeWorkgroupsPerDimension'] as const) {
    limits[k] = adapter.limits[k];
  }
  const report = {
    driver: driver.name,
    env: { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? null, LD_LIBRARY_PATH: process.env.LD_LIBRARY_PATH ?? null },
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: Boolean((info as { isFallbackAdapter?: boolean }).isFallbackAdapter),
    // as src/gpu/device.ts decides it: run.sh sizes the bench by it
    isSoftware: Boolean((info as { isFallbackAdapter?: boolean }).isFallbackAdapter) || /swiftshader|llvmpipe|lavapipe|software/i.test(`${info.vendor} ${info.architecture} ${info.device} ${info.description}`),
    subgroupMinSize: (info as { subgroupMinSize?: number }).subgroupMinSize ?? null,
    subgroupMaxSize: (info as { subgroupMaxSize?: number }).subgroupMaxSize ?? null,
    features: [...adapter.features].sort(),
    limits,
    node: process.version,
  };
  console.log(`adapter: ${report.vendor} ${report.architecture} ${report.description} [${report.device}] via ${report.driver}`);
  console.log(`adapter: features ${report.features.join(', ')}`);
  console.log(`adapter: limits ${Object.entries(limits).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  if (jsonAt >= 0) writeFileSync(process.argv[jsonAt + 1], JSON.stringify(report, null, 2) + '\n');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`adapter: error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
