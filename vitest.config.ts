import { defineConfig } from "vitest/config";

// CI reads the JSON report to print its own `N passed, N failed` line (see .ci/run).
const ciReport = process.env.TINYAGENT_TEST_REPORT;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    reporters: ciReport ? ["default", ["json", { outputFile: ciReport }]] : ["default"],
  },
});
