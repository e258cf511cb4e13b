import path from 'node:path';
import { defineConfig } from 'vite';

// The dashboard (web/): built by `npm run build:web` into dist/web and served by the API process at `/`.
// Vite 8 transforms TSX itself (Oxc); @vitejs/plugin-react is not needed for a production build.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  logLevel: 'warn',
  // React's production build whatever NODE_ENV the shell has (a build under `NODE_ENV=development` or jest's `test`
  // would otherwise bundle React's development build).
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: path.resolve(import.meta.dirname, '../dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // antd marks its modules "use client" (for React Server Components); a browser bundle has no use for it.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
  server: {
    // `npx vite web` during development: the API of `npm start` behind the same origin.
    proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true }, '/dev': 'http://127.0.0.1:4000' },
  },
});
