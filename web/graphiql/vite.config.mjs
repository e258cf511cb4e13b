// Bundles the self-hosted GraphiQL (`npm run build:graphiql`, part of `npm run build`) into dist/graphiql, served by
// the API at /graphiql/ (assets) and, for a browser's GET /graphql, its index.html. Everything is local: no CDN.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/graphiql/',
  logLevel: 'warn',
  // React's production build whatever NODE_ENV the shell has (a build under `NODE_ENV=development` or jest's `test`
  // would otherwise bundle React's development build).
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: fileURLToPath(new URL('../../dist/graphiql', import.meta.url)),
    emptyOutDir: true,
    // GraphiQL with React and CodeMirror is one large bundle; it is a developer tool, loaded once.
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      // React libraries mark modules "use client"; in a plain client bundle the directive means nothing.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
