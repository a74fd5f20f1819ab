// Checks a destination's transform source at save time: a syntax error or a source without a
// top-level `function transform(event)` is a 422 naming the field and the line, before anything
// is stored. acorn parses synchronously (the QuickJS module loads asynchronously), so the check
// can run inside the synchronous input validation; the sandbox compiles the same source again at
// delivery and reports anything acorn let through as a failed delivery with its line.
import { parse, type Program } from "acorn";
import { AppError } from "@/lib/errors";

export const maxTransformBytes = 64 * 1024;

interface AcornSyntaxError extends SyntaxError {
  loc?: { line: number; column: number };
}

function refuse(field: string, message: string): never {
  throw new AppError("validation_failed", `${field}: ${message}`, { field });
}

function parseSource(source: string, field: string): Program {
  try {
    return parse(source, { ecmaVersion: 2023, sourceType: "script", locations: true });
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const loc = (error as AcornSyntaxError).loc;
    // acorn appends "(line:column)" to its message; the line is said once, in words.
    const reason = error.message.replace(/\s*\(\d+:\d+\)$/, "");
    refuse(field, loc ? `syntax error at line ${loc.line}, column ${loc.column + 1}: ${reason}` : `syntax error: ${reason}`);
  }
}

/** Throws a 422 AppError naming `field` unless `source` is a script defining `function transform(event)`. */
export function checkTransformSource(source: string, field: string): void {
  if (typeof source !== "string") refuse(field, "must be a string of JavaScript");
  const bytes = Buffer.byteLength(source, "utf8");
  if (bytes > maxTransformBytes) refuse(field, `is ${bytes} bytes; at most ${maxTransformBytes} bytes (64 KB) are allowed`);
  const program = parseSource(source, field);
  const declaration = program.body.find((node) => node.type === "FunctionDeclaration" && node.id.name === "transform");
  if (!declaration || declaration.type !== "FunctionDeclaration") {
    refuse(field, "must define a top-level function transform(event) { … } that returns the new message or null");
  }
  const line = declaration.loc?.start.line ?? 1;
  if (declaration.async || declaration.generator) {
    refuse(field, `function transform at line ${line} must be a plain function (not async or a generator): it runs synchronously`);
  }
  if (declaration.params.length > 1) {
    refuse(field, `function transform at line ${line} takes one parameter, the event`);
  }
}
