// Wraps QStash-only routes: reads the raw body, verifies Upstash-Signature with the official
// Receiver INCLUDING the URL claim (the exact URL QStash was told to call), maps failures to 401.
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { readBodyBytes } from "@/lib/http/read-body";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { getQstashReceiver } from "@/lib/qstash";

export interface QstashInput {
  request: Request;
  rawBody: string;
  messageId: string | null;
  /** How many times QStash already retried this message (0 on the first attempt). */
  retried: number;
  maxRetries: number | null;
}

/** QStash's largest message plus headroom; anything bigger cannot be a genuine job. */
const maxQstashBodyBytes = 2 * 1_048_576;

export function withQstash(path: string, handler: (input: QstashInput) => Promise<Response>) {
  return route(async ({ request }) => {
    const signature = request.headers.get("upstash-signature");
    if (!signature) throw new AppError("invalid_signature", "Missing Upstash-Signature header");
    const rawBody = new TextDecoder().decode(await readBodyBytes(request, maxQstashBodyBytes));
    const url = `${getEnv().appUrl}${path}`;
    try {
      await getQstashReceiver().verify({ signature, body: rawBody, url, clockTolerance: 5 });
    } catch (error) {
      log.warn("QStash signature refused", { path, reason: error instanceof Error ? error.message : "invalid" });
      throw new AppError("invalid_signature", "Invalid Upstash-Signature");
    }
    const retried = Number(request.headers.get("upstash-retried") ?? "0");
    const maxRetries = request.headers.get("upstash-retries");
    return handler({
      request,
      rawBody,
      messageId: request.headers.get("upstash-message-id"),
      retried: Number.isFinite(retried) ? retried : 0,
      maxRetries: maxRetries === null ? null : Number(maxRetries),
    });
  });
}
