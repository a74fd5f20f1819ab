// QStash's failure callback body: which message gave up, and the last answer it got. Whichever
// job the message carried, its handler reads the envelope here and the job itself on its own.
import { z } from "zod";

const failureCallbackSchema = z.object({
  status: z.number().optional(),
  body: z.string().optional(),
  retried: z.number().optional(),
  maxRetries: z.number().optional(),
  sourceMessageId: z.string().optional(),
  sourceBody: z.string(),
});

function decodeBase64(value: string | undefined): string {
  return value ? Buffer.from(value, "base64").toString("utf8") : "";
}

/** The last answer's `error` field when it is ours, else its status: never more than 500 chars. */
function describeLastAnswer(status: number | undefined, body: string): string {
  let detail = body;
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === "string") detail = parsed.error;
  } catch {
    // not JSON: keep the raw text
  }
  return `${status ? `last answer ${status}` : "no answer"}${detail ? `: ${detail}` : ""}`.slice(0, 500);
}

export interface FailureEnvelope {
  /** The source message's body, as the job it was. */
  sourceBody: string;
  messageId: string | null;
  lastError: string;
}

/** What any QStash failure callback says, whichever job it is about. */
export function parseFailureEnvelope(rawBody: string): FailureEnvelope | null {
  let data: unknown;
  try {
    data = JSON.parse(rawBody);
  } catch {
    return null;
  }
  const parsed = failureCallbackSchema.safeParse(data);
  if (!parsed.success) return null;
  const attempts = (parsed.data.retried ?? 0) + 1;
  return {
    sourceBody: decodeBase64(parsed.data.sourceBody),
    messageId: parsed.data.sourceMessageId ?? null,
    lastError: `Gave up after ${attempts} attempt(s); ${describeLastAnswer(parsed.data.status, decodeBase64(parsed.data.body))}`,
  };
}
