// Per-file setup for integration tests: the app's routes on the fixed test port, and the
// database handle the app itself uses, closed at the end.
import { afterAll, beforeAll } from "vitest";
import { closeDb, getDb, type Database } from "../../lib/db";
import { startAppServer, type AppServer } from "./app-server";
import { testConfig } from "./ports";

export interface AppHarness {
  readonly url: string;
  readonly db: Database;
}

export function useApp(): AppHarness {
  let server: AppServer | undefined;
  beforeAll(async () => {
    server = await startAppServer(testConfig().ports.app);
  });
  afterAll(async () => {
    await server?.close();
    await closeDb();
  });
  return {
    get url() {
      if (!server) throw new Error("app server not started");
      return server.url;
    },
    get db() {
      return getDb();
    },
  };
}
