// Everything about a template that depends on the mode but not on the event: how each
// placeholder is inserted, whether the literal text is acceptable, and whether the template can
// ever produce a valid result. Checked once per template and mode, then cached.
import { assemble } from "@/lib/templates/assemble";
import { TemplateError, TemplateRenderError } from "@/lib/templates/errors";
import { planJsonInsertions } from "@/lib/templates/json-context";
import type { JsonInsertion } from "@/lib/templates/json-context";
import { templateModes } from "@/lib/templates/modes";
import type { TemplateMode, TemplateModeOptions } from "@/lib/templates/modes";
import type { ParsedTemplate, Placeholder } from "@/lib/templates/parse";
import { insertionCheckFor } from "@/lib/templates/request-value-checks";
import { checkResult, defaultUrlProtocols } from "@/lib/templates/result-checks";
import type { TemplateValue } from "@/lib/templates/values";
import { findControlCharacter } from "@/lib/templates/values";

export type Insertion = JsonInsertion | "text" | "header" | "url_raw" | "url_component" | "form" | "xml";

export interface ModePlan {
  readonly mode: TemplateMode;
  /** One per placeholder, in order. */
  readonly insertions: readonly Insertion[];
  readonly urlProtocols: readonly string[];
}

const knownModes: ReadonlySet<string> = new Set(templateModes);
const plans = new WeakMap<ParsedTemplate, Map<string, ModePlan>>();

const fixedInsertion: Readonly<Record<Exclude<TemplateMode, "json" | "url">, Insertion>> = {
  text: "text",
  header: "header",
  form: "form",
  xml: "xml",
  mqtt_topic: "text",
  amqp_routing_key: "text",
};

function planInsertions(parsed: ParsedTemplate, mode: TemplateMode): Insertion[] {
  if (mode === "json") return planJsonInsertions(parsed);
  if (mode === "url") {
    // Only a placeholder at the very start supplies the base URL raw; anything later is data.
    return parsed.placeholders.map((placeholder) => (placeholder.position === 0 ? "url_raw" : "url_component"));
  }
  return parsed.placeholders.map(() => fixedInsertion[mode]);
}

function checkHeaderLiteral(parsed: ParsedTemplate): void {
  // Placeholders cannot contain control characters, so any in the source is in literal text.
  const position = findControlCharacter(parsed.source);
  if (position !== -1) {
    const code = parsed.source.charCodeAt(position).toString(16).toUpperCase().padStart(4, "0");
    throw new TemplateError("invalid_for_mode", `a header value cannot contain the control character U+${code}`, { position });
  }
}

// Renders with stand-in values: if even those cannot give a valid result (unbalanced JSON, a
// literal wildcard in a topic, a non-http URL, `{path}` adding topic levels), no event ever will.
function probeValue(plan: ModePlan, placeholder: Placeholder, index: number): TemplateValue {
  if (plan.insertions[index] === "url_raw") return `${plan.urlProtocols[0] ?? "https"}://example.com`;
  // A request path always starts with "/".
  if (placeholder.expression.kind === "simple" && placeholder.expression.name === "path") return "/p";
  return plan.mode === "amqp_routing_key" ? "" : "1";
}

function checkWithProbe(parsed: ParsedTemplate, plan: ModePlan): void {
  try {
    const probe = assemble(parsed, plan, (placeholder, index) => probeValue(plan, placeholder, index), insertionCheckFor(plan.mode));
    checkResult(plan.mode, probe, plan.urlProtocols);
  } catch (error) {
    if (error instanceof TemplateRenderError) {
      const variable = error.variable === undefined ? {} : { variable: error.variable };
      throw new TemplateError("invalid_for_mode", `${error.message}, whatever values are inserted`, variable);
    }
    throw error;
  }
}

function buildPlan(parsed: ParsedTemplate, mode: TemplateMode, urlProtocols: readonly string[]): ModePlan {
  if (mode === "header") checkHeaderLiteral(parsed);
  const plan: ModePlan = Object.freeze({ mode, insertions: Object.freeze(planInsertions(parsed, mode)), urlProtocols });
  checkWithProbe(parsed, plan);
  return plan;
}

/** Throws TemplateError if `parsed` can never render validly in `mode`. */
export function planForMode(parsed: ParsedTemplate, mode: TemplateMode, options: TemplateModeOptions = {}): ModePlan {
  // Modes may come from stored config (e.g. an MQTT payload format); an unknown one must not
  // fall through to unescaped insertion.
  if (!knownModes.has(mode)) {
    throw new TemplateError("invalid_for_mode", `unknown template mode "${String(mode)}"`);
  }
  const urlProtocols = mode === "url" ? (options.urlProtocols ?? defaultUrlProtocols) : defaultUrlProtocols;
  const key = mode === "url" ? `url:${urlProtocols.join(",")}` : mode;
  let byMode = plans.get(parsed);
  const cached = byMode?.get(key);
  if (cached) return cached;
  const plan = buildPlan(parsed, mode, urlProtocols);
  if (!byMode) {
    byMode = new Map();
    plans.set(parsed, byMode);
  }
  byMode.set(key, plan);
  return plan;
}
