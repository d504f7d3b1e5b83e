import { defineConfig, searchForWorkspaceRoot } from 'vite';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';

const root = import.meta.dirname;
// A checkout whose node_modules is a link (a git worktree sharing one install) would otherwise get
// 403s for every dependency: the server only serves files under the root, and the link resolves
// outside it. Only the project's own node_modules is added, wherever it really is.
const modules = realpathSync(resolve(root, 'node_modules'));

// The app page (index.html) and the test/bench harness page share one server.
export default defineConfig({
  server: { host: '127.0.0.1', strictPort: false, fs: { strict: true, allow: [searchForWorkspaceRoot(root), modules] } },
  build: {
    rollupOptions: {
      input: { main: resolve(root, 'index.html'), tables: resolve(root, 'tables.html') },
    },
  },
});
