/**
 * The console's build: `npm run build` (scripts/lib/console-build.mjs) writes it into
 * .local-cloud/console/, which the emulator serves at /console/. Everything is bundled: the
 * emulator works offline, and the page's Content-Security-Policy allows only its own origin.
 */
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/console/',
  plugins: [vue()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../.local-cloud/console', import.meta.url)),
    emptyOutDir: true,
    // Element Plus is one chunk of its own: the app's code changes without it being fetched again.
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks: (id: string) => (id.includes('node_modules') ? 'vendor' : undefined),
      },
    },
  },
});
