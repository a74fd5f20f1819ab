// A Production build migrates while the previous deployment still serves traffic and QStash still
// delivers the jobs it published (README, "Migrations: expand, then contract"). So a migration's
// up() only expands: it never drops or renames a table or column, never changes a column's type,
// never makes one NOT NULL after the fact and never adds a NOT NULL column without a default (the
// running code's inserts do not name it). A contract step is a later migration of its own, once no
// running deployment reads the old shape, and lands with a change to this list.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { migrations } from "@/migrations";

const root = path.resolve(import.meta.dirname, "../../..");

/** Contract steps, by migration name, that were released after the code stopped reading what they remove. */
const contractSteps: readonly string[] = [];

const contracting = [
  /\bdrop\s+(column|table)\b/i,
  /\brename\b/i,
  /\bdropColumn\b|\bdropTable\b|\brenameColumn\b|\brenameTo\b/,
  /\balter\s+column\s+\w+\s+(set\s+data\s+)?type\b/i,
  /\bset\s+not\s+null\b|\bsetNotNull\b/i,
];

/** Each `add column` clause of a statement, up to the next clause or the end of its SQL text. */
function addedColumns(up: string): string[] {
  return up
    .split(/\badd\s+column\b/i)
    .slice(1)
    .map((clause) => clause.split("`")[0] ?? "");
}

/** A column the running code does not write, which its inserts would then leave null. */
const requiredWithoutDefault = (clause: string) => /\bnot\s+null\b/i.test(clause) && !/\bdefault\b/i.test(clause);

function upSource(name: string): string {
  const source = readFileSync(path.join(root, "migrations", `${name}.ts`), "utf8");
  const start = source.indexOf("export async function up");
  const end = source.indexOf("export async function down");
  expect(start, `${name} has an up()`).toBeGreaterThanOrEqual(0);
  return source.slice(start, end === -1 ? undefined : end);
}

describe("migrations", () => {
  it.each(Object.keys(migrations).filter((name) => !contractSteps.includes(name)))("%s only expands the schema in up()", (name) => {
    const up = upSource(name);
    expect(contracting.filter((pattern) => pattern.test(up)).map(String)).toEqual([]);
    expect(addedColumns(up).filter(requiredWithoutDefault)).toEqual([]);
  });

  it("the check sees a contract step when there is one", () => {
    expect(contracting.some((pattern) => pattern.test("await sql`alter table events drop column body_json`"))).toBe(true);
    expect(contracting.some((pattern) => pattern.test("await db.schema.alterTable('x').renameColumn('a', 'b')"))).toBe(true);
    expect(contracting.some((pattern) => pattern.test("await sql`alter table x alter column y type bigint`"))).toBe(true);
    expect(addedColumns("await sql`alter table x add column y text not null, add column z int`").filter(requiredWithoutDefault)).toEqual([" y text not null, "]);
    expect(addedColumns("await sql`alter table x add column y int not null default 4 check (y > 0)`").filter(requiredWithoutDefault)).toEqual([]);
  });
});
