import { defineConfig } from 'vitest/config';

/**
 * One vitest project per test folder (DESIGN.md §4), so `npm test -- --project unit`
 * runs one layer. Everything under tests/ runs in `npm test`.
 */
const project = (name: string, timeoutMs = 10_000) => ({
  test: {
    name,
    include: [`tests/${name}/**/*.test.ts`],
    testTimeout: timeoutMs,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      project('unit'),
      project('conformance'),
      project('workflows', 30_000),
      project('infra', 120_000),
      project('local', 120_000),
      project('replay', 60_000),
    ],
  },
});
