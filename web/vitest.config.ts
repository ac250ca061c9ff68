import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          // Component tests (*.test.tsx) render in happy-dom, named in each file's `@vitest-environment` line; the rest
          // run in Node.
          name: "unit",
          include: ["src/**/*.test.ts", "src/**/*.test.tsx", "e2e/*.test.ts"],
          exclude: ["**/*.e2e.test.ts", "**/node_modules/**"],
          environment: "node",
        },
      },
      {
        // The browser suite stands up a chain, a worker, the production build and Chromium: one file at a time, with
        // time to spare on a busy machine.
        test: {
          name: "e2e",
          include: ["e2e/**/*.e2e.test.ts"],
          environment: "node",
          testTimeout: 300_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
