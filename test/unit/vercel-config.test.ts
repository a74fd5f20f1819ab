// vercel.json names function files by glob: a route that moves (app/ ↔ pages/) must not leave a
// setting that silently matches nothing, and every cron must hit an existing route.
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const config = JSON.parse(readFileSync(path.join(root, "vercel.json"), "utf8")) as {
  functions: Record<string, { maxDuration: number }>;
  crons: Array<{ path: string; schedule: string }>;
};

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((entry) => {
    const relative = `${dir}/${entry}`;
    return statSync(path.join(root, relative)).isDirectory() ? filesUnder(relative) : [relative];
  });
}

const sourceFiles = [...filesUnder("app"), ...filesUnder("pages")];

function globToPattern(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped.replace(/\*\*\//g, "(?:.*/)?").replace(/\*/g, "[^/]*")}$`);
}

describe("vercel.json", () => {
  it.each(Object.keys(config.functions))("function setting %s matches at least one route file", (glob) => {
    expect(sourceFiles.filter((file) => globToPattern(glob).test(file))).not.toEqual([]);
  });

  it("gives the trigger and QStash routes their own durations", () => {
    const covered = (file: string) => Object.keys(config.functions).some((glob) => globToPattern(glob).test(file));
    const hotRoutes = sourceFiles.filter((file) => file.startsWith("pages/api/"));
    expect(hotRoutes.length).toBeGreaterThanOrEqual(5);
    expect(hotRoutes.filter((file) => !covered(file))).toEqual([]);
  });

  it.each(config.crons.map((cron) => cron.path))("cron %s has a route", (cronPath) => {
    expect(sourceFiles).toContain(`app${cronPath}/route.ts`);
  });
});
