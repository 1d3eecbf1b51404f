import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The UI builds into web/dist, which the gateway serves at `/` (src/http/ui.ts).
// No external fonts, CDNs or requests beyond the gateway itself.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  server: { proxy: { '/api': 'http://127.0.0.1:5003', '/outputs': 'http://127.0.0.1:5003' } },
});
