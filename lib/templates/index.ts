// The template engine's public API: parse and validate at save time, render on delivery.
export { MASKED_SECRETS, maskSecrets } from "@/lib/templates/context";
export type { TemplateContext, TemplateEvent } from "@/lib/templates/context";
export { TemplateError, TemplateRenderError } from "@/lib/templates/errors";
export { templateModes } from "@/lib/templates/modes";
export type { TemplateMode } from "@/lib/templates/modes";
export { parseTemplate } from "@/lib/templates/parse";
export type { ParsedTemplate } from "@/lib/templates/parse";
export { renderTemplate } from "@/lib/templates/render";
export { isRequestExpression } from "@/lib/templates/request-data";
export { placeholdersInOrigin, requestPlaceholderInOrigin } from "@/lib/templates/url-origin";
export { referencedSecrets, referencedVars, validateTemplate, validateTemplates } from "@/lib/templates/validate";
export type { TemplateField, TemplateIssue } from "@/lib/templates/validate";
