// The destination form's filter and transform editors, as text: what a stored value shows as,
// what the edited text sends (create leaves a blank out, edit sends null to remove), and the
// sample request the "Test filter" and "Preview" buttons send. Pure: client and unit tests share it.

export const routingFields = ["filter", "transform"] as const;

/** The starting text of the sample editor: a request shaped like what the trigger route captures. */
export const sampleRequestText = JSON.stringify(
  { method: "POST", path: "/", query: {}, headers: { "content-type": "application/json" }, body: { type: "order.created", amount: 120 } },
  null,
  2,
);

export const transformPlaceholder = "function transform(event) {\n  // event: {method, path, query, headers, body, vars}\n  return { body: { type: event.body.type } };\n}";

/** Return shapes per kind, as the hint under the transform editor lists them. */
export const transformReturns: Record<string, string> = {
  http: "{method?, headers?, query?, body}",
  mqtt: "{topic?, payload, properties?}",
  amqp: "{routingKey?, payload, headers?}",
};

export interface RoutingText {
  filter: string;
  transform: string;
}

/** A mistake the form catches before sending, named like the API names its fields. */
export interface RoutingInputError {
  code: "invalid";
  field: string;
  message: string;
}

export function toRoutingText(destination: Record<string, unknown> | undefined): RoutingText {
  const filter = destination?.filter;
  const transform = destination?.transform;
  return {
    filter: filter === undefined || filter === null ? "" : JSON.stringify(filter, null, 2),
    transform: typeof transform === "string" ? transform : "",
  };
}

/** The filter editor's text as a value: undefined when blank, else parsed JSON (the API checks the language). */
export function readFilterText(text: string): { ok: true; filter: unknown } | { ok: false; error: RoutingInputError } {
  if (text.trim() === "") return { ok: true, filter: undefined };
  try {
    return { ok: true, filter: JSON.parse(text) as unknown };
  } catch (problem) {
    return { ok: false, error: { code: "invalid", field: "filter", message: `filter: is not valid JSON (${(problem as Error).message})` } };
  }
}

/** The routing part of a create or PATCH body. */
export function routingPayload(text: RoutingText, mode: "create" | "edit"): { ok: true; body: Record<string, unknown> } | { ok: false; error: RoutingInputError } {
  const filter = readFilterText(text.filter);
  if (!filter.ok) return filter;
  const transform = text.transform.trim() === "" ? undefined : text.transform;
  if (mode === "edit") return { ok: true, body: { filter: filter.filter ?? null, transform: transform ?? null } };
  return { ok: true, body: { ...(filter.filter === undefined ? {} : { filter: filter.filter }), ...(transform === undefined ? {} : { transform }) } };
}

/** Whether an error names the filter or the transform (e.g. "filter.body.amount.numeric"), which their editors show. */
export function routingOwns(field: string | undefined): "filter" | "transform" | undefined {
  return routingFields.find((name) => field === name || Boolean(field?.startsWith(`${name}.`)));
}

export type SampleChoice = { source: "sample"; text: string } | { source: "event"; eventId: string };

/** The `sample` or `eventId` part of a filter-test or preview request. */
export function sampleInput(choice: SampleChoice): { ok: true; body: Record<string, unknown> } | { ok: false; error: RoutingInputError } {
  if (choice.source === "event") {
    const eventId = choice.eventId.trim();
    if (eventId === "") return { ok: false, error: { code: "invalid", field: "eventId", message: "eventId: enter the ID of a stored event (shown on a delivery's page)" } };
    return { ok: true, body: { eventId } };
  }
  let sample: unknown;
  try {
    sample = JSON.parse(choice.text);
  } catch (problem) {
    return { ok: false, error: { code: "invalid", field: "sample", message: `sample: is not valid JSON (${(problem as Error).message})` } };
  }
  if (typeof sample !== "object" || sample === null || Array.isArray(sample)) {
    return { ok: false, error: { code: "invalid", field: "sample", message: "sample: must be an object like {method, path, query, headers, body}" } };
  }
  return { ok: true, body: { sample } };
}
