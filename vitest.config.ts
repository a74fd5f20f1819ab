import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { allocateTestPorts, integrationEnv } from "./test/support/ports.ts";

const root = fileURLToPath(new URL("./", import.meta.url));
const alias = { "@": root.replace(/\/$/, "") };

const ports = await allocateTestPorts();
const databaseName = `switchyard_test_${process.pid}`;

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
          env: { NODE_ENV: "test", ALLOW_PRIVATE_DESTINATIONS: "true" },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/integration/global-setup.ts"],
          // One file at a time: the files share one PostgreSQL database, one local
          // QStash server and one app port, and the machine has two cores.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          env: integrationEnv(ports, databaseName),
        },
      },
    ],
  },
});
