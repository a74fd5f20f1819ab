// The daily message quota: once a UTC day's messages are used up, publishing answers 429 with
// the RateLimit-* headers that @upstash/qstash 2.12 turns into QstashDailyRatelimitError.
import { HttpError } from "./http-utils";

const dayMs = 86_400_000;

export class DailyQuota {
  private day = -1;
  private used = 0;

  constructor(private readonly limit: number) {}

  /** Takes `count` messages from today's quota, or refuses all of them. */
  take(count: number, now: number): void {
    const today = Math.floor(now / dayMs);
    if (today !== this.day) {
      this.day = today;
      this.used = 0;
    }
    if (this.used + count > this.limit) {
      const resetSeconds = ((today + 1) * dayMs) / 1_000;
      throw new HttpError(429, `daily message limit of ${this.limit} reached; it resets at ${new Date(resetSeconds * 1_000).toISOString()}`, {
        "RateLimit-Limit": String(this.limit),
        "RateLimit-Remaining": String(Math.max(0, this.limit - this.used)),
        "RateLimit-Reset": String(resetSeconds),
      });
    }
    this.used += count;
  }
}
