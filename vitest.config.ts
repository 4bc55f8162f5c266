import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['test/unit/**/*.test.ts', 'test/electron/**/*.test.ts'],
    testTimeout: 60_000,
    setupFiles: ['test/setup/relaxed-simd.ts'],
  },
});
