import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // the end-to-end suite spawns processes and a broker; two cores are shared
    fileParallelism: true,
    maxWorkers: 2,
  },
});
