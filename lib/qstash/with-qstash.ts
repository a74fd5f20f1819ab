// Wraps QStash-only handlers: reads the raw body, verifies Upstash-Signature with the official
// Receiver INCLUDING the URL claim (the exact URL QStash was told to call), maps failures to 401.
import { AppError } from "@/lib/errors";
import type { HotHandler } from "@/lib/http/pages-route";
import type { Reply } from "@/lib/http/reply";
import { ServerTiming } from "@/lib/http/server-timing";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { getQstashReceiver } from "@/lib/qstash";

export interface QstashInput {
  rawBody: string;
  messageId: string | null;
  /**
   * How many times QStash already retried this message (0 on the first attempt). QStash never
   * sends the retry budget with a delivery: jobs carry it in their body.
   */
  retried: number;
  /** Phases after verification are marked by the handler; sent back as Server-Timing. */
  timing: ServerTiming;
}

/** QStash's largest message plus headroom; anything bigger cannot be a genuine job. */
const maxQstashBodyBytes = 2 * 1_048_576;

export function withQstash(path: string, handler: (input: QstashInput) => Promise<Reply>): HotHandler<unknown> {
  return async ({ request }) => {
    const timing = new ServerTiming();
    if (request.method !== "POST") {
      throw new AppError("method_not_allowed", `Method ${request.method} is not allowed; QStash calls with POST`, { headers: { allow: "POST" } });
    }
    const signature = request.headers.get("upstash-signature");
    if (!signature) throw new AppError("invalid_signature", "Missing Upstash-Signature header");
    const rawBody = new TextDecoder().decode(await request.readBody(maxQstashBodyBytes));
    const url = `${getEnv().appUrl}${path}`;
    try {
      await getQstashReceiver().verify({ signature, body: rawBody, url, clockTolerance: 5 });
    } catch (error) {
      log.warn("QStash signature refused", { path, reason: error instanceof Error ? error.message : "invalid" });
      throw new AppError("invalid_signature", "Invalid Upstash-Signature");
    }
    const retried = Number(request.headers.get("upstash-retried") ?? "0");
    timing.mark("verify");
    const reply = await handler({
      rawBody,
      messageId: request.headers.get("upstash-message-id"),
      retried: Number.isFinite(retried) ? retried : 0,
      timing,
    });
    return { ...reply, headers: { ...reply.headers, "server-timing": timing.header() } };
  };
}
