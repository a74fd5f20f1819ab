// Looks a placeholder's value up in the context. Request data may be absent (payloads vary);
// operator configuration (vars, env, secrets) must exist, or the delivery fails permanently
// rather than sending an empty credential.
import { MASKED_SECRETS } from "@/lib/templates/context";
import { redactedValue } from "@/lib/log";
import type { TemplateContext } from "@/lib/templates/context";
import { TemplateRenderError } from "@/lib/templates/errors";
import type { SimpleVariable } from "@/lib/templates/expression";
import type { TemplateMode } from "@/lib/templates/modes";
import type { Placeholder } from "@/lib/templates/parse";
import { contextUuid, lookupBody, lookupHeader } from "@/lib/templates/request-view";
import type { TemplateValue } from "@/lib/templates/values";

function resolveSimple(context: TemplateContext, name: SimpleVariable): TemplateValue {
  switch (name) {
    case "uuid":
      return contextUuid(context);
    case "timestamp":
      return Math.floor(context.now.getTime() / 1000);
    case "timestamp_ms":
      return context.now.getTime();
    case "callback_id":
      return context.event.callbackId;
    case "destination_id":
      return context.destinationId;
    case "event_id":
      return context.event.id;
    case "delivery_id":
      return context.deliveryId;
    case "delivery_ids":
      return context.deliveryIds;
    case "attempt":
      return context.attempt;
    case "method":
      return context.event.method;
    case "path":
      return context.event.path;
    case "original_payload":
      return context.event.body;
  }
}

function ownValue<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

function missing(mode: TemplateMode, placeholder: Placeholder, what: string): TemplateRenderError {
  return new TemplateRenderError("missing_value", mode, `{${placeholder.text}}: ${what}`, placeholder.text);
}

function resolveSecret(context: TemplateContext, name: string, mode: TemplateMode, placeholder: Placeholder): string {
  if (context.secrets === MASKED_SECRETS) return redactedValue;
  const value = ownValue(context.secrets, name);
  if (value === undefined) throw missing(mode, placeholder, `secret "${name}" does not exist`);
  return value;
}

export function resolvePlaceholder(context: TemplateContext, placeholder: Placeholder, mode: TemplateMode): TemplateValue {
  const { expression } = placeholder;
  switch (expression.kind) {
    case "simple":
      return resolveSimple(context, expression.name);
    case "query":
      return ownValue(context.event.query, expression.name);
    case "header":
      return lookupHeader(context, expression.name);
    case "body":
      return lookupBody(context, expression.path);
    case "var": {
      const value = ownValue(context.vars, expression.name);
      if (value === undefined) throw missing(mode, placeholder, `variable "${expression.name}" is not defined on this callback`);
      return value;
    }
    case "env": {
      const value = context.env(expression.name);
      if (value === undefined) throw missing(mode, placeholder, `environment variable ${expression.name} is not set`);
      return value;
    }
    case "secret":
      return resolveSecret(context, expression.name, mode, placeholder);
  }
}
