// Starts Vite's dev server for the pages that Chromium loads (app, test harness, headless trainer).
import { createServer, type ViteDevServer } from 'vite';
import { resolve } from 'node:path';
import { projectRoot } from './project_root.ts';

export { projectRoot };

export interface PageServer {
  url: string;
  server: ViteDevServer;
  close(): Promise<void>;
}

/** Serves `blobs` (e.g. the data set read by Node) to the page at /__tvae/blob/<name>.
 *  opts.crossOriginIsolated: every response says COOP same-origin + COEP require-corp, so the page
 *  is cross-origin isolated and gets SharedArrayBuffer (the bench's multi-threaded jax-js Wasm
 *  peer); off by default, as a page that loads anything cross-origin would break under it. */
export async function startPageServer(blobs: ReadonlyMap<string, Uint8Array> = new Map(), opts: { crossOriginIsolated?: boolean } = {}): Promise<PageServer> {
  const server = await createServer({
    plugins: [
      {
        name: 'tvae-blobs',
        configureServer(s) {
          if (opts.crossOriginIsolated) {
            s.middlewares.use((_req, res, next) => {
              res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
              res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
              next();
            });
          }
          s.middlewares.use('/__tvae/blob/', (req, res, next) => {
            const blob = blobs.get(decodeURIComponent((req.url ?? '').replace(/^\//, '')));
            if (!blob) return next();
            res.setHeader('Content-Type', 'application/octet-stream');
            res.end(blob);
          });
        },
      },
    ],
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
