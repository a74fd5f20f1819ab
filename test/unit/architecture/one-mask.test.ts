// The credential mask is written once (lib/redacted.ts): a second literal could drift from the
// one the API takes back as "keep the stored value", and a form would then overwrite a secret.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { redactedValue } from "@/lib/redacted";
import { sourceFiles } from "./import-graph";

const root = path.resolve(import.meta.dirname, "../../..");

/** Code lines (not comments) that spell the mask as a string literal. */
function maskLiterals(file: string): string[] {
  return readFileSync(path.join(root, file), "utf8")
    .split("\n")
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => !line.startsWith("//") && !line.startsWith("*") && !line.startsWith("/*"))
    .filter(({ line }) => /(["'`])\*\*\*\1/.test(line.replace(/\/\/.*$/, "")))
    .map(({ number }) => `${file}:${number}`);
}

describe("the credential mask", () => {
  it("is the one literal in lib/redacted.ts", () => {
    expect(redactedValue).toBe("***");
    const files = ["lib", "app", "pages", "scripts"].flatMap((dir) => sourceFiles(root, dir));
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap(maskLiterals)).toEqual(["lib/redacted.ts:4"]);
  });
});
