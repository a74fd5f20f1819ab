// Fires a trigger the way a webhook sender would and returns the deliveries it announced.
export interface TriggerAnswer {
  status: number;
  eventId: string;
  deliveries: Array<{ id: string; destinationId: string; messageId: string }>;
  text: string;
}

export async function fireTrigger(
  triggerUrl: string,
  options: { method?: string; body?: unknown; raw?: string | Uint8Array; headers?: Record<string, string>; query?: string } = {},
): Promise<TriggerAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Uint8Array | undefined = options.raw;
  if (options.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body = JSON.stringify(options.body);
  }
  const response = await fetch(`${triggerUrl}${options.query ?? ""}`, { method: options.method ?? "POST", headers, body: body as BodyInit | undefined });
  const text = await response.text();
  const parsed = (text ? JSON.parse(text) : {}) as Partial<TriggerAnswer>;
  return { status: response.status, eventId: parsed.eventId ?? "", deliveries: parsed.deliveries ?? [], text };
}

/** The id of the only delivery of an accepted trigger. */
export function onlyDelivery(answer: TriggerAnswer): string {
  if (answer.status !== 202 || answer.deliveries.length !== 1) throw new Error(`expected one delivery, got ${answer.status} ${answer.text}`);
  return answer.deliveries[0]?.id ?? "";
}
