import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// The app page (index.html) and the test/bench harness page share one server.
export default defineConfig({
  server: { host: '127.0.0.1', strictPort: false, fs: { strict: true } },
  build: {
    rollupOptions: {
      input: { main: resolve(import.meta.dirname, 'index.html'), tables: resolve(import.meta.dirname, 'tables.html') },
    },
  },
});
