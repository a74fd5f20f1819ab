// The only thing that differs between environments is the pool: Neon's WebSocket Pool
// (production, and locally through scripts/ws-proxy against real PostgreSQL) or embedded PGlite.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { Pool, neonConfig } from "@neondatabase/serverless";
// The subpath: the package root also loads its cache, purge and OIDC helpers (and execa), ~3 MB of heap.
import { attachDatabasePool } from "@vercel/functions/db-connections";
import ws from "ws";

export interface PoolHandle {
  /** The pool, or (PGlite) the factory kysely calls on first use to open it. */
  pool: Pool | (() => Promise<Pool>);
  /** Runs after the pool has ended: frees what sits behind it (PGlite and its folder lock). */
  release(): Promise<void>;
}

export interface NeonPoolHandle extends PoolHandle {
  pool: Pool;
}

export interface NeonPoolOptions {
  /** host:port of a local WebSocket→TCP proxy; unset in production (Neon's own proxy). */
  wsProxy?: string;
  max?: number;
}

export function createNeonPool(connectionString: string, options: NeonPoolOptions = {}): NeonPoolHandle {
  // Node 20 has no global WebSocket.
  neonConfig.webSocketConstructor = ws;
  if (options.wsProxy) {
    const proxy = options.wsProxy;
    neonConfig.wsProxy = (host: string, port: number | string) => `${proxy}/v1?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
    neonConfig.coalesceWrites = false;
  }
  const pool = new Pool({ connectionString, max: options.max ?? 5, idleTimeoutMillis: 10_000 });
  // An idle client that loses its socket must not crash the process.
  pool.on("error", () => undefined);
  // Fluid compute reuses an instance for many requests and suspends it in between: this keeps it
  // alive until idle clients have closed, instead of leaving them to die with the suspension.
  // Off Vercel (no VERCEL_URL/VERCEL_REGION) the release hook it adds does nothing.
  attachDatabasePool(pool);
  return { pool, release: async () => undefined };
}

/** The embedded database's folder is held by another live process (e.g. `npm run dev`). */
export class DatabaseInUseError extends Error {
  override name = "DatabaseInUseError";
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`The embedded database in ${dataDir} is in use by process ${pid}. Stop it, or set DATABASE_URL to use PostgreSQL.`);
  }
}

/** PGlite takes no lock on its folder and two processes on one folder lose rows: we add one. */
function acquireFolderLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, "switchyard.lock");
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, "utf8"));
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
      throw new DatabaseInUseError(dataDir, pid);
    }
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** An unclean stop forces PGlite into recovery on the next open: close it on the way out. */
function closeOnSignal(pglite: PGlite, release: () => void): void {
  const stop = (signal: NodeJS.Signals) => {
    void pglite
      .close()
      .catch(() => undefined)
      .finally(() => {
        release();
        process.kill(process.pid, signal);
      });
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

interface OpenPglite {
  pglite: PGlite;
  pool: Pool;
  release(): void;
}

/**
 * Loaded when first used, by a specifier the bundler leaves alone: production always has
 * DATABASE_URL, so PGlite (about 30 MB) must stay out of every function's traced files.
 */
async function openPglite(dataDir: string): Promise<OpenPglite> {
  const [{ PGlite }, { createPgConfig }] = await Promise.all([
    import(/* turbopackIgnore: true */ "@electric-sql/pglite"),
    import(/* turbopackIgnore: true */ "@electric-sql/pglite/node-postgres"),
  ]);
  const inMemory = dataDir.startsWith("memory://");
  const release = inMemory ? () => undefined : acquireFolderLock(dataDir);
  const pglite = new PGlite(dataDir);
  if (!inMemory) closeOnSignal(pglite, release);
  return { pglite, pool: new Pool(createPgConfig(pglite)), release };
}

/** `memory://` for tests; a folder for the local embedded default. Opened on the first query. */
export function createPglitePool(dataDir: string): PoolHandle {
  let opening: Promise<OpenPglite> | undefined;
  return {
    pool: async () => (await (opening ??= openPglite(dataDir))).pool,
    async release() {
      const opened = await opening?.catch(() => undefined);
      if (!opened) return;
      if (!opened.pglite.closed) await opened.pglite.close();
      opened.release();
    },
  };
}
