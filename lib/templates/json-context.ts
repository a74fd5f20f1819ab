// Decides, for each placeholder of a JSON template, whether it sits inside a string literal or
// in value position. Only the literal parts are scanned: an inserted string is escaped and an
// inserted value is complete JSON, so neither can change the scanner's state — which is what
// keeps a value like `","admin":true,"x":"` inside its string.
import { TemplateError } from "@/lib/templates/errors";
import type { ParsedTemplate } from "@/lib/templates/parse";

export type JsonInsertion = "json_string" | "json_value";

interface ScanState {
  inString: boolean;
  escaped: boolean;
  /** Hex digits still expected after `\u`. */
  hexLeft: number;
}

function scanLiteral(text: string, state: ScanState): void {
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charAt(index);
    if (!state.inString) {
      if (char === '"') state.inString = true;
    } else if (state.hexLeft > 0) {
      state.hexLeft -= 1;
    } else if (state.escaped) {
      state.escaped = false;
      if (char === "u") state.hexLeft = 4;
    } else if (char === "\\") {
      state.escaped = true;
    } else if (char === '"') {
      state.inString = false;
    }
  }
}

export function planJsonInsertions(parsed: ParsedTemplate): JsonInsertion[] {
  const state: ScanState = { inString: false, escaped: false, hexLeft: 0 };
  const insertions: JsonInsertion[] = [];
  for (const part of parsed.parts) {
    if (typeof part === "string") {
      scanLiteral(part, state);
      continue;
    }
    if (state.escaped || state.hexLeft > 0) {
      // `"\{x}"` would let the literal backslash escape the first inserted character.
      throw new TemplateError("invalid_for_mode", `{${part.text}} cannot follow a backslash escape inside a JSON string`, {
        variable: part.text,
        position: part.position,
      });
    }
    insertions.push(state.inString ? "json_string" : "json_value");
  }
  return insertions;
}
