// The repository's root folder, in a module of its own so the plain-Node runtime can find shaders/
// and .vendor/ without importing Vite (src/node/server.ts).
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
