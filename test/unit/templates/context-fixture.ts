// Builds TemplateContext values for the template tests: one realistic event, overridable.
import type { TemplateContext, TemplateEvent } from "@/lib/templates";

export const fixedNow = new Date("2024-05-06T07:08:09.123Z");

export interface ContextOverrides extends Partial<Omit<TemplateContext, "event">> {
  event?: Partial<TemplateEvent>;
  envValues?: Record<string, string>;
}

export function makeContext(overrides: ContextOverrides = {}): TemplateContext {
  const { event, envValues, ...rest } = overrides;
  const values = envValues ?? { TRIGGER_VAR_REGION: "eu-west-1" };
  return {
    event: {
      id: "evt_123",
      callbackId: "cb_456",
      receivedAt: "2024-05-06T07:08:00.000Z",
      method: "POST",
      path: "/api/hooks/github",
      query: { ref: "main", tag: ["a", "b"] },
      headers: { "Content-Type": "application/json", "X-GitHub-Event": "push" },
      body: JSON.stringify({ action: "opened", count: 3, ok: true, nothing: null, repo: { name: "switchyard" }, items: [{ id: 7 }, { id: 8 }] }),
      bodyEncoding: "utf8",
      contentType: "application/json",
      ...event,
    },
    deliveryId: "dlv_789",
    destinationId: "dst_012",
    attempt: 2,
    vars: { base_url: "https://api.example.com", team: "core" },
    env: (name) => (Object.hasOwn(values, name) ? values[name] : undefined),
    secrets: { API_TOKEN: "tok-secret" },
    now: fixedNow,
    uuid: () => "11111111-2222-4333-8444-555555555555",
    ...rest,
  };
}

/** A context whose body is `value` serialised as JSON. */
export function jsonBodyContext(value: unknown, overrides: ContextOverrides = {}): TemplateContext {
  return makeContext({ ...overrides, event: { body: JSON.stringify(value), contentType: "application/json", ...overrides.event } });
}
