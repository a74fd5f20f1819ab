// The import graph of the app's own code, grouped by capability folder, and the rules it must keep
// (DESIGN.md "Layout"): imports point down the layers, destinations never import deliveries,
// nothing outside test/ imports test/, and no two lib/ folders import each other, even indirectly.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export interface ImportEdge {
  fromFile: string;
  toFile: string;
}

/** Lower numbers sit lower: a folder may import its own layer or lower ones, never a higher one. */
const layers: Readonly<Record<string, number>> = {
  "lib/env": 0,
  "lib/log": 0,
  "lib/ids": 0,
  "lib/errors": 0,
  "lib/redacted": 0,
  migrations: 0,
  "lib/http": 1,
  "lib/db": 1,
  "lib/redis": 1,
  "lib/crypto": 1,
  "lib/qstash": 2,
  "lib/cache": 2,
  "lib/ratelimit": 2,
  "lib/templates": 3,
  "lib/secrets": 3,
  "lib/filters": 3,
  "lib/transforms": 3,
  "lib/destinations": 4,
  "lib/callbacks": 5,
  "lib/triggers": 6,
  "lib/deliveries": 6,
  "lib/alerts": 6,
  "lib/auth": 6,
  "lib/retention": 6,
  "lib/cron": 6,
  "lib/ui": 7,
  "lib/doctor": 7,
  "lib/health": 7,
  app: 8,
  pages: 8,
  proxy: 8,
  scripts: 8,
};

/** `lib/destinations/http/auth.ts` → `lib/destinations`; `lib/env.ts` → `lib/env`; `app/x.tsx` → `app`. */
function folderOf(file: string): string {
  const parts = file.replace(/\.(ts|tsx|mjs)$/, "").split("/");
  if (parts[0] === "lib") return parts.slice(0, 2).join("/");
  return parts[0];
}

/** The .ts and .tsx files below `dir`, relative to `root` (`lib/env.ts`, `app/page.tsx`). */
export function sourceFiles(root: string, dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(root, relative);
    return /\.(ts|tsx)$/.test(entry.name) ? [relative] : [];
  });
}

/** Every `@/…` or relative import (static, dynamic, type-only, re-export) of the given folders. */
export function readImportGraph(root: string, dirs: readonly string[], files: readonly string[] = []): ImportEdge[] {
  const all = [...dirs.flatMap((dir) => sourceFiles(root, dir)), ...files];
  return all.flatMap((fromFile) => {
    const info = ts.preProcessFile(readFileSync(path.join(root, fromFile), "utf8"), true, true);
    return info.importedFiles
      .map((imported) => imported.fileName)
      .filter((spec) => spec.startsWith("@/") || spec.startsWith("."))
      .map((spec) => ({ fromFile, toFile: spec.startsWith("@/") ? spec.slice(2) : path.posix.join(path.posix.dirname(fromFile), spec) }));
  });
}

function describe(edge: ImportEdge): string {
  return `${edge.fromFile} imports ${edge.toFile}`;
}

/** Broken direction rules, one line per offending import. */
export function directionViolations(edges: readonly ImportEdge[]): string[] {
  return edges.flatMap((edge) => {
    const from = folderOf(edge.fromFile);
    const to = folderOf(edge.toFile);
    if (from === to) return [];
    if (to === "test" && from !== "test") return [`${describe(edge)}: only tests import test/`];
    if (from === "lib/destinations" && to === "lib/deliveries") return [`${describe(edge)}: destinations never import deliveries`];
    const fromLayer = layers[from];
    const toLayer = layers[to];
    if (fromLayer === undefined || toLayer === undefined) return [`${describe(edge)}: ${fromLayer === undefined ? from : to} has no layer`];
    return toLayer > fromLayer ? [`${describe(edge)}: ${from} (layer ${fromLayer}) imports the higher ${to} (layer ${toLayer})`] : [];
  });
}

/** Groups of lib/ folders that import each other, directly or around a loop (Tarjan's SCCs). */
export function folderCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const edge of edges) {
    const from = folderOf(edge.fromFile);
    const to = folderOf(edge.toFile);
    if (from === to || !from.startsWith("lib/") || !to.startsWith("lib/")) continue;
    next.set(from, (next.get(from) ?? new Set()).add(to));
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) visit(target);
      if (stack.includes(target)) low.set(node, Math.min(low.get(node) ?? 0, low.get(target) ?? 0, index.get(target) ?? 0));
    }
    if (low.get(node) !== index.get(node)) return;
    const component = stack.splice(stack.indexOf(node));
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return cycles;
}
