// checkTransformSource is the save-time gate for a destination's transform: a 422 naming the
// field and the line, so the operator can fix the source before any delivery runs it.
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { checkTransformSource, maxTransformBytes } from "@/lib/transforms/check-transform";

function refusal(source: string, field = "transform"): AppError {
  try {
    checkTransformSource(source, field);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("checkTransformSource", () => {
  it("accepts a plain transform with helpers and comments around it", () => {
    const source = `// shape the order\nconst prefix = "orders/";\nfunction topicFor(e) { return prefix + e.body.id; }\nfunction transform(event) {\n  return { topic: topicFor(event), payload: event.body };\n}\n`;
    expect(() => checkTransformSource(source, "transform")).not.toThrow();
  });

  it("refuses a syntax error with a 422 naming the field and the line", () => {
    const error = refusal("function transform(event) {\n  const x = ;\n  return x;\n}");
    expect(error.status).toBe(422);
    expect(error.code).toBe("validation_failed");
    expect(error.field).toBe("transform");
    expect(error.message).toMatch(/^transform: syntax error at line 2, column \d+: Unexpected token$/);
  });

  it("names the field it is given", () => {
    expect(refusal("function transform(e) {", "destination.transform").field).toBe("destination.transform");
  });

  it("refuses a source that does not define function transform", () => {
    for (const source of ["function shape(event) { return null; }", "const transform = (e) => e;", "", "transform(1);"]) {
      const error = refusal(source);
      expect(error.field).toBe("transform");
      expect(error.message).toContain("must define a top-level function transform(event)");
    }
  });

  it("refuses a transform nested inside another function (not top-level)", () => {
    expect(refusal("function outer() { function transform(e) { return e; } }").message).toContain("top-level");
  });

  it("refuses async and generator transforms, naming their line", () => {
    expect(refusal("\n\nasync function transform(e) { return e; }").message).toContain("at line 3 must be a plain function");
    expect(refusal("function* transform(e) { yield e; }").message).toContain("must be a plain function");
  });

  it("refuses a source over 64 KB and accepts one just under", () => {
    const body = "function transform(event) { return null; }\n";
    const fits = body + "//" + "x".repeat(maxTransformBytes - body.length - 3) + "\n";
    expect(Buffer.byteLength(fits)).toBeLessThanOrEqual(maxTransformBytes);
    expect(() => checkTransformSource(fits, "transform")).not.toThrow();
    const error = refusal(fits + "//more\n");
    expect(error.message).toMatch(/at most 65536 bytes/);
  });

  it("counts bytes, not characters (multi-byte text)", () => {
    const source = "function transform(e) { return null; }\n//" + "é".repeat(33_000);
    expect(source.length).toBeLessThan(maxTransformBytes);
    expect(refusal(source).message).toContain("bytes");
  });
});
