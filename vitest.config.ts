import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { allocateTestPorts, integrationEnv } from "./test/support/ports.ts";

const root = fileURLToPath(new URL("./", import.meta.url));
const alias = { "@": root.replace(/\/$/, "") };

const ports = await allocateTestPorts();
const databaseName = `switchyard_test_${process.pid}`;

// The soak suite (load and fault injection, minutes long) runs only when named: `npm run
// test:soak` (= `--project soak`), never in a plain `vitest run` / `npm test`. It gets its own
// ports and database so `--project integration --project soak` cannot collide.
const soakRequested = process.argv.some((arg, index, all) => arg === "--project=soak" || (arg === "--project" && all[index + 1] === "soak"));
const soakProjects = soakRequested
  ? [
      {
        resolve: { alias },
        test: {
          name: "soak",
          include: ["test/soak/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/integration/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 120_000,
          env: integrationEnv(await allocateTestPorts(), `switchyard_soak_${process.pid}`),
        },
      },
    ]
  : [];

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
      ...soakProjects,
    ],
  },
});
