// The template engine's public API: parse and validate at save time, render on delivery.
export { MASKED_SECRETS, maskSecrets } from "@/lib/templates/context";
export type { TemplateContext, TemplateEvent } from "@/lib/templates/context";
export { TemplateError, TemplateRenderError } from "@/lib/templates/errors";
export type { TemplateErrorCode, TemplateRenderErrorCode } from "@/lib/templates/errors";
export { templateEnvPrefix, templateSecretNamePattern, templateVarNamePattern } from "@/lib/templates/expression";
export type { Expression } from "@/lib/templates/expression";
export { templateModes } from "@/lib/templates/modes";
export type { TemplateMode, TemplateModeOptions } from "@/lib/templates/modes";
export { parseTemplate } from "@/lib/templates/parse";
export type { ParsedTemplate, Placeholder, TemplatePart } from "@/lib/templates/parse";
export { renderTemplate } from "@/lib/templates/render";
export { isRequestExpression } from "@/lib/templates/request-data";
export { placeholdersInOrigin, requestPlaceholderInOrigin } from "@/lib/templates/url-origin";
export { maxAmqpRoutingKeyBytes, maxMqttTopicBytes } from "@/lib/templates/result-checks";
export { referencedSecrets, referencedVars, templateVariables, validateTemplate, validateTemplates } from "@/lib/templates/validate";
export type { TemplateField, TemplateIssue, ValidateTemplatesOptions } from "@/lib/templates/validate";
export type { JsonValue, TemplateValue } from "@/lib/templates/values";
