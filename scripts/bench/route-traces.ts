// What each Pages API function ships: the files `next build` traced for it
// (.next/server/pages/api/**/*.js.nft.json), counted and sized, and any that a hot route must
// never carry — the embedded development database and broker, the dev scripts, test tooling.
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const apiDir = path.join(root, ".next/server/pages/api");

/** Matched against a traced file's path relative to the project root. */
const forbiddenInHotRoutes: ReadonlyArray<{ what: string; pattern: RegExp }> = [
  // Externals are also linked as .next/node_modules/<name>-<hash>.
  { what: "PGlite", pattern: /node_modules\/@electric-sql\/pglite(-[0-9a-f]+)?\// },
  { what: "aedes", pattern: /node_modules\/aedes[^/]*\// },
  { what: "dev scripts", pattern: /^scripts\// },
  { what: "tests", pattern: /^test\// },
  {
    what: "test tooling",
    pattern: /node_modules\/(vitest|@vitest\/[^/]+|vite|msw|@mswjs\/[^/]+|playwright-core|fast-check|autocannon|bullmq|ioredis|pg|typescript|eslint|knip|prettier)(-[0-9a-f]+)?\//,
  },
];

export interface RouteTrace {
  /** The route as served, e.g. "/api/trigger/[token]". */
  route: string;
  files: number;
  bytes: number;
  /** Traced files a hot route must not carry, as "<what>: <path>". */
  forbidden: string[];
}

/** "<what>: <path>" for each path (relative to the project root) that matches a forbidden pattern. */
export function forbiddenFiles(relativePaths: readonly string[]): string[] {
  return relativePaths.flatMap((file) => forbiddenInHotRoutes.filter((rule) => rule.pattern.test(file)).map((rule) => `${rule.what}: ${file}`));
}

function traceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return traceFiles(full);
    return entry.name.endsWith(".js.nft.json") ? [full] : [];
  });
}

function sizeOf(file: string): number {
  try {
    const stats = statSync(file);
    return stats.isFile() ? stats.size : 0;
  } catch {
    return 0;
  }
}

function readTrace(traceFile: string): RouteTrace {
  const script = traceFile.replace(/\.nft\.json$/, "");
  const listed = (JSON.parse(readFileSync(traceFile, "utf8")) as { files: string[] }).files.map((file) => path.resolve(path.dirname(traceFile), file));
  const relative = listed.map((file) => path.relative(root, file));
  // A package linked under .next/node_modules and its real folder are one set of bytes.
  const unique = new Set([script, ...listed].map((file) => (existsSync(file) ? realpathSync(file) : file)));
  const bytes = [...unique].reduce((total, file) => total + sizeOf(file), 0);
  const route = `/api/${path
    .relative(apiDir, script)
    .replace(/\.js$/, "")
    .replace(/\/index$/, "")}`;
  return { route, files: unique.size, bytes, forbidden: forbiddenFiles(relative) };
}

/** Every Pages API route of the last build, sorted by route; [] when nothing is built. */
export function readRouteTraces(): RouteTrace[] {
  if (!existsSync(apiDir)) return [];
  return traceFiles(apiDir)
    .map(readTrace)
    .sort((a, b) => a.route.localeCompare(b.route));
}

/** The bench-only baseline route is not a function anyone deploys on purpose: not a hot route. */
export const isHotRoute = (trace: RouteTrace) => !trace.route.startsWith("/api/bench/");
