// Verification handshake presets of a callback: the preset is stored in callbacks.handshake, its
// secret (Meta's verify token, Zoom's secret token, X's consumer secret) sealed in
// callbacks.handshake_secret_enc. Operators see the secret only as a mask; sending the mask back
// keeps the stored secret, as with inboundAuth.
import { z } from "zod";
import { encryptSecret } from "@/lib/crypto/encryption";
import { AppError } from "@/lib/errors";
import { redactedValue } from "@/lib/log";

const secretSchema = z.string().min(1).max(4096);

export const handshakeTypes = ["slack", "meta", "zoom", "x", "microsoft_graph", "dropbox", "sns"] as const;
export type HandshakeType = (typeof handshakeTypes)[number];

export const handshakeInputSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("slack") }).strict(),
  z.object({ type: z.literal("meta"), secret: secretSchema }).strict(),
  z.object({ type: z.literal("zoom"), secret: secretSchema }).strict(),
  z.object({ type: z.literal("x"), secret: secretSchema }).strict(),
  z.object({ type: z.literal("microsoft_graph") }).strict(),
  z.object({ type: z.literal("dropbox") }).strict(),
  z.object({ type: z.literal("sns") }).strict(),
]);

export type HandshakeInput = z.infer<typeof handshakeInputSchema>;

/** What callbacks.handshake holds (and the trigger cache carries): the type only. */
const storedHandshakeSchema = z.object({ type: z.enum(handshakeTypes) });

/** The method each provider's verification request arrives with. */
const handshakeMethod: Record<HandshakeType, string> = {
  slack: "POST",
  meta: "GET",
  zoom: "POST",
  x: "GET",
  microsoft_graph: "POST",
  dropbox: "GET",
  sns: "POST",
};

/** 422 when the callback would refuse the provider's verification request with 405. */
export function assertHandshakeFitsMethods(type: HandshakeType | undefined, methods: readonly string[]): void {
  if (!type) return;
  const needed = handshakeMethod[type];
  if (methods.includes(needed)) return;
  throw new AppError("validation_failed", `handshake.type: the ${type} handshake arrives as ${needed}; add ${needed} to methods`, { field: "handshake.type" });
}

/**
 * Slack and Zoom sign their verification request as they sign events, and SNS messages carry
 * their own signature: another inbound preset would refuse the verification request with 401.
 */
const fittingInboundAuth: Partial<Record<HandshakeType, ReadonlyArray<string | undefined>>> = {
  slack: [undefined, "slack"],
  zoom: [undefined, "zoom"],
  sns: [undefined],
};

/** 422 when the callback's inbound signature check would refuse the provider's verification request. */
export function assertHandshakeFitsInboundAuth(type: HandshakeType | undefined, inboundAuthType: string | undefined): void {
  const fitting = type ? fittingInboundAuth[type] : undefined;
  if (!fitting || fitting.includes(inboundAuthType)) return;
  const allowed = fitting.filter((item) => item !== undefined);
  const want = allowed.length > 0 ? `none or ${allowed.join(", ")}` : "none (SNS messages carry their own signature)";
  throw new AppError("validation_failed", `inboundAuth.type: the ${type} handshake needs inboundAuth ${want}, not ${inboundAuthType}`, { field: "inboundAuth.type" });
}

export interface HandshakeColumns {
  handshake: string | null;
  handshake_secret_enc: string | null;
}

/** Row values for `input` (null clears); the mask keeps `previousSecretEnc`. */
export function sealHandshake(input: HandshakeInput | null, previousSecretEnc: string | null): HandshakeColumns {
  if (input === null) return { handshake: null, handshake_secret_enc: null };
  const stored = JSON.stringify({ type: input.type });
  if (!("secret" in input)) return { handshake: stored, handshake_secret_enc: null };
  if (input.secret === redactedValue && !previousSecretEnc) {
    throw new AppError("validation_failed", "handshake.secret: a secret is required", { field: "handshake.secret" });
  }
  return { handshake: stored, handshake_secret_enc: input.secret === redactedValue && previousSecretEnc ? previousSecretEnc : encryptSecret(input.secret) };
}

export function presentHandshake(stored: unknown, secretEnc: string | null): { type: HandshakeType; secret?: string } | null {
  const parsed = storedHandshakeSchema.safeParse(stored);
  if (!parsed.success) return null;
  return secretEnc ? { type: parsed.data.type, secret: redactedValue } : { type: parsed.data.type };
}

export function storedHandshakeType(stored: unknown): HandshakeType | undefined {
  const parsed = storedHandshakeSchema.safeParse(stored);
  return parsed.success ? parsed.data.type : undefined;
}
