import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  // 'mpa' turns off Vite's SPA fallback: under `wails dev` that fallback
  // would answer fetch('/_admin/...') with index.html instead of letting the
  // request reach the Go AssetServer handler.
  appType: 'mpa',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
