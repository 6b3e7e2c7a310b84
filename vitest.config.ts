import { defineConfig } from 'vitest/config';

// Two projects: `unit` runs everywhere in seconds; `e2e` drives the built renderer in
// Debian's Chromium against the real web-mode server and needs `npm run build` first.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'shared/**/*.test.ts',
            'src-main/**/*.test.ts',
            'src-renderer/**/*.test.ts',
            'test/unit/**/*.test.ts',
          ],
          environment: 'node',
          testTimeout: 60_000,
          env: { SKIPSEG_LOG: 'error' },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          env: { SKIPSEG_LOG: 'error' },
          fileParallelism: false,
        },
      },
    ],
  },
});
