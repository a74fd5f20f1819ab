// A throwaway PostgreSQL database beside the run's own, for tests that need one in a given state
// (empty, unmigrated). Created and dropped through the Neon driver and the run's WebSocket proxy.
import { randomBytes } from "node:crypto";
import { createNeonPool } from "@/lib/db/pool";
import { testConfig } from "./ports";

export interface ScratchDatabase {
  name: string;
  url: string;
  /** Runs one statement in the scratch database and returns its rows. */
  query<R>(statement: string): Promise<R[]>;
  drop(): Promise<void>;
}

const wsProxy = () => `127.0.0.1:${testConfig().ports.wsProxy}`;

async function asAdmin(statement: string): Promise<void> {
  const admin = createNeonPool("postgres://postgres@127.0.0.1:5432/postgres", { wsProxy: wsProxy(), max: 1 });
  try {
    await admin.pool.query(statement);
  } finally {
    await admin.pool.end();
  }
}

export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `${testConfig().databaseName}_scratch_${randomBytes(4).toString("hex")}`;
  await asAdmin(`create database ${name}`);
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  return {
    name,
    url,
    async query<R>(statement: string) {
      const handle = createNeonPool(url, { wsProxy: wsProxy(), max: 1 });
      try {
        return (await handle.pool.query(statement)).rows as R[];
      } finally {
        await handle.pool.end();
      }
    },
    drop: () => asAdmin(`drop database if exists ${name} with (force)`),
  };
}
