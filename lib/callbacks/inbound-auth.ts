// Optional inbound signature verification of a callback: the preset and its non-secret options
// are stored in callbacks.inbound_auth, the shared secret sealed in callbacks.inbound_secret_enc.
// Operators see the secret only as a mask; sending the mask back keeps the stored secret.
import { z } from "zod";
import { Webhook } from "standardwebhooks";
import { encryptSecret } from "@/lib/crypto/encryption";
import { AppError } from "@/lib/errors";
import { redactedValue } from "@/lib/log";
import { headerNameSchema, plainHeaderNameSchema } from "@/lib/http/header-name";

function isStandardWebhooksSecret(secret: string): boolean {
  if (secret === redactedValue) return true;
  try {
    new Webhook(secret);
    return /^(whsec_)?[A-Za-z0-9+/]+={0,2}$/.test(secret);
  } catch {
    return false;
  }
}

const secretSchema = z.string().min(1).max(4096);
const toleranceSeconds = z.number().int().min(1).max(86_400).default(300);
// Stored rows are read with the lenient HTTP grammar (rows saved before the stricter input
// rule keep verifying); new input must use plainHeaderNameSchema.
const hmacOptions = {
  header: headerNameSchema,
  algorithm: z.enum(["sha256", "sha1", "sha512"]).default("sha256"),
  encoding: z.enum(["hex", "base64"]).default("hex"),
  /** Text before the digest in the header, e.g. "sha256=". */
  prefix: z.string().max(64).default(""),
};

export const inboundAuthSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("standard_webhooks"),
      secret: secretSchema.refine(isStandardWebhooksSecret, "must be a Standard Webhooks secret (whsec_ followed by base64)"),
    })
    .strict(),
  z.object({ type: z.literal("github"), secret: secretSchema }).strict(),
  z.object({ type: z.literal("stripe"), secret: secretSchema, toleranceSeconds }).strict(),
  z.object({ type: z.literal("hmac"), secret: secretSchema, ...hmacOptions, header: plainHeaderNameSchema }).strict(),
  // Slack's signing secret; Slack documents a 5-minute window for X-Slack-Request-Timestamp.
  z.object({ type: z.literal("slack"), secret: secretSchema, toleranceSeconds }).strict(),
  // Meta's app secret (X-Hub-Signature-256); Zoom's secret token (x-zm-signature).
  z.object({ type: z.literal("meta"), secret: secretSchema }).strict(),
  z.object({ type: z.literal("zoom"), secret: secretSchema }).strict(),
]);

export type InboundAuthInput = z.infer<typeof inboundAuthSchema>;

/** What callbacks.inbound_auth holds (and the trigger cache carries): everything but the secret. */
export const storedInboundAuthSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("standard_webhooks") }),
  z.object({ type: z.literal("github") }),
  z.object({ type: z.literal("stripe"), toleranceSeconds }),
  z.object({ type: z.literal("hmac"), ...hmacOptions }),
  z.object({ type: z.literal("slack"), toleranceSeconds }),
  z.object({ type: z.literal("meta") }),
  z.object({ type: z.literal("zoom") }),
]);

export type StoredInboundAuth = z.infer<typeof storedInboundAuthSchema>;

export interface InboundAuthColumns {
  inbound_auth: string | null;
  inbound_secret_enc: string | null;
}

/** Row values for `input` (null clears); the mask keeps `previousSecretEnc`. */
export function sealInboundAuth(input: InboundAuthInput | null, previousSecretEnc: string | null): InboundAuthColumns {
  if (input === null) return { inbound_auth: null, inbound_secret_enc: null };
  const { secret, ...stored } = input;
  if (secret === redactedValue && !previousSecretEnc) {
    throw new AppError("validation_failed", "inboundAuth.secret: a secret is required", { field: "inboundAuth.secret" });
  }
  const sealed = secret === redactedValue && previousSecretEnc ? previousSecretEnc : encryptSecret(secret);
  return { inbound_auth: JSON.stringify(stored), inbound_secret_enc: sealed };
}

export function presentInboundAuth(stored: unknown): (StoredInboundAuth & { secret: string }) | null {
  const parsed = storedInboundAuthSchema.safeParse(stored);
  return parsed.success ? { ...parsed.data, secret: redactedValue } : null;
}
