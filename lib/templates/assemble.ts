// The render loop: literal text as written, each placeholder's value escaped for its position.
import type { ModePlan, Insertion } from "@/lib/templates/mode-plan";
import type { Placeholder, ParsedTemplate } from "@/lib/templates/parse";
import type { InsertionCheck } from "@/lib/templates/request-value-checks";
import type { TemplateValue } from "@/lib/templates/values";
import { encodeFormComponent, encodeUriComponentSafe, escapeJsonString, escapeXml, stringifyJson, stripControlCharacters, toText } from "@/lib/templates/values";

export type ValueSource = (placeholder: Placeholder, index: number) => TemplateValue;

function insert(insertion: Insertion, value: TemplateValue, plan: ModePlan, variable: string): string {
  if (insertion === "json_value") return stringifyJson(value, plan.mode, variable);
  const text = toText(value, plan.mode, variable);
  switch (insertion) {
    case "text":
    case "url_raw":
      return text;
    case "json_string":
      return escapeJsonString(text);
    case "header":
      return stripControlCharacters(text);
    case "url_component":
      return encodeUriComponentSafe(text);
    case "form":
      return encodeFormComponent(text);
    case "xml":
      return escapeXml(text);
  }
}

export function assemble(parsed: ParsedTemplate, plan: ModePlan, valueOf: ValueSource, check?: InsertionCheck): string {
  let output = "";
  let index = 0;
  for (const part of parsed.parts) {
    if (typeof part === "string") {
      output += part;
      continue;
    }
    const inserted = insert(plan.insertions[index], valueOf(part, index), plan, part.text);
    check?.(part, inserted, output.length);
    output += inserted;
    index += 1;
  }
  return output;
}
