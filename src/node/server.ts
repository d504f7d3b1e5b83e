// Starts Vite's dev server for the pages that Chromium loads (app, test harness, headless trainer).
import { createServer, type ViteDevServer } from 'vite';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface PageServer {
  url: string;
  server: ViteDevServer;
  close(): Promise<void>;
}

export async function startPageServer(): Promise<PageServer> {
  const server = await createServer({
    root: projectRoot,
    configFile: resolve(projectRoot, 'vite.config.ts'),
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, hmr: false, watch: null },
    clearScreen: false,
  });
  await server.listen();
  const addr = server.httpServer?.address();
  if (!addr || typeof addr === 'string') throw new Error('vite did not report a TCP address');
  return { url: `http://127.0.0.1:${addr.port}`, server, close: () => server.close() };
}
