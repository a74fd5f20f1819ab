// Synchronous rendering on the delivery path: parse (cached), plan for the mode (cached), walk
// the parts, then check the finished string against the mode's rules.
import type { TemplateContext } from "@/lib/templates/context";
import { assemble } from "@/lib/templates/assemble";
import { planForMode } from "@/lib/templates/mode-plan";
import type { TemplateMode, TemplateModeOptions } from "@/lib/templates/modes";
import { parseTemplate } from "@/lib/templates/parse";
import type { ParsedTemplate, Placeholder } from "@/lib/templates/parse";
import { resolvePlaceholder } from "@/lib/templates/resolve";
import { insertionCheckFor } from "@/lib/templates/request-value-checks";
import { checkResult } from "@/lib/templates/result-checks";

// A warm function instance renders the same few destination templates over and over.
const maxCachedSources = 512;
const parsedBySource = new Map<string, ParsedTemplate>();

/** parseTemplate with a small bounded cache keyed by source text. */
function parseTemplateCached(source: string): ParsedTemplate {
  const cached = parsedBySource.get(source);
  if (cached) return cached;
  const parsed = parseTemplate(source);
  if (parsedBySource.size >= maxCachedSources) {
    const oldest = parsedBySource.keys().next();
    if (!oldest.done) parsedBySource.delete(oldest.value);
  }
  parsedBySource.set(source, parsed);
  return parsed;
}

/**
 * Renders `template` for `mode`. Throws TemplateError if the template is invalid (for this
 * mode), TemplateRenderError if this event's values cannot give a valid result. Both are
 * permanent failures for a delivery.
 */
export function renderTemplate(template: string | ParsedTemplate, mode: TemplateMode, context: TemplateContext, options?: TemplateModeOptions): string {
  const parsed = typeof template === "string" ? parseTemplateCached(template) : template;
  const plan = planForMode(parsed, mode, options);
  const valueOf = (placeholder: Placeholder) => resolvePlaceholder(context, placeholder, mode);
  const output = assemble(parsed, plan, valueOf, insertionCheckFor(mode));
  checkResult(mode, output, plan.urlProtocols);
  return output;
}
