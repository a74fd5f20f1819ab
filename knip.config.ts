// knip: unused files, exports and dependencies. Its Next.js, Vitest and ESLint plugins already know
// the app/ and pages/ conventions, proxy.ts, the test files and the tool configs; the package.json
// scripts name the scripts/ entry points. Listed here is only what those cannot see.
// Patterns ending in `!` are production code, so `knip --production` also finds code only tests use.
import type { KnipConfig } from "knip";

const config: KnipConfig = {
  entry: [
    "scripts/*.ts!",
    // Spawned as their own processes by scripts/bench/processes.ts, never imported.
    "scripts/bench/bare-trigger-server.ts!",
    "scripts/bench/peer/ingest.ts!",
    "scripts/bench/peer/worker.ts!",
    // Run by hand (npx tsx scripts/bench/only.ts <group>) for some bench rows N times over.
    "scripts/bench/only.ts!",
    // Kysely's Migrator calls up/down through the namespace objects in migrations/index.ts, which
    // knip 6 does not count as a use of every export (knip issue #1669).
    "migrations/0*.ts!",
  ],
  project: ["**/*.{ts,tsx,mjs}!", "!test/**!"],
  // System binaries the tests start (the brokers, the SNS stand's throwaway CA), not npm packages.
  ignoreBinaries: ["mosquitto", "openssl"],
  // A type or interface that names an exported function's parameters or result is part of that
  // function's API even when only its own module spells it out; values used only in their own
  // module are not exported.
  ignoreExportsUsedInFile: { interface: true, type: true },
};

export default config;
