// A callback's cached trigger configuration for unit tests of the trigger path: one POST
// callback without destinations, with what the test is about given as overrides.
import type { TriggerConfig } from "@/lib/triggers/callback-cache";

export function triggerConfigWith(overrides: Partial<TriggerConfig>): TriggerConfig {
  return {
    id: "cb",
    tokenHash: "h",
    path: null,
    pathTokenHeader: null,
    methods: ["POST"],
    rateLimitPerMinute: null,
    maxBodyBytes: 10_000,
    idempotencyHeader: null,
    inboundAuth: null,
    inboundSecretEnc: null,
    retries: 0,
    enabled: true,
    destinations: [],
    ...overrides,
  };
}
