// Wraps cron routes: Vercel Cron calls them with `Authorization: Bearer <CRON_SECRET>`; anything
// else is a 401, decided by a constant-time comparison.
import { safeEqual } from "@/lib/crypto/tokens";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { route, type HandlerInput } from "@/lib/http/route";

function presentedSecret(request: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  return match?.[1];
}

export function withCron<P = Record<string, never>>(handler: (input: HandlerInput<P>) => Promise<Response>) {
  return route<P>(async (input) => {
    const presented = presentedSecret(input.request);
    if (presented === undefined || !safeEqual(presented, getEnv().cronSecret)) {
      throw new AppError("unauthorized", "Cron routes need Authorization: Bearer <CRON_SECRET>");
    }
    return handler(input);
  });
}
