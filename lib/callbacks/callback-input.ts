// Operator input for callbacks.
import { z } from "zod";
import { httpMethodSchema } from "@/lib/destinations/config-fields";
import { plainHeaderNameSchema } from "@/lib/http/header-name";
import { destinationInputSchema } from "@/lib/destinations/destination-input";
import { inboundAuthSchema } from "@/lib/callbacks/inbound-auth";
import { handshakeInputSchema } from "@/lib/callbacks/handshake";
import { acknowledgementSchema } from "@/lib/callbacks/acknowledgement-input";
import { customPathPattern, maxCustomPathLength, normalizeCustomPath } from "@/lib/callbacks/custom-path";

/** Default and ceiling: QStash's smallest message limit, less room for the job envelope. */
const maxTriggerBodyBytes = 1_000_000;

/** Stored lowercase, so lookups are case-insensitive. */
const customPathSchema = z
  .string()
  .transform(normalizeCustomPath)
  .pipe(z.string().min(1).max(maxCustomPathLength).regex(customPathPattern, "must be path segments of letters, digits, - _ . ~ separated by /, without . or .. segments"));

const variableNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "must be a variable name like order_source");

const callbackFields = {
  name: z.string().trim().min(1).max(200),
  methods: z
    .array(httpMethodSchema)
    .min(1)
    .transform((methods) => [...new Set(methods)]),
  path: customPathSchema.nullable(),
  /** Custom paths are guessable: when set, senders must also send the token in this header. */
  pathTokenHeader: plainHeaderNameSchema.nullable(),
  rateLimitPerMinute: z.number().int().min(1).max(1_000_000).nullable(),
  maxBodyBytes: z.number().int().min(1).max(maxTriggerBodyBytes),
  idempotencyHeader: plainHeaderNameSchema.nullable(),
  variables: z.record(variableNameSchema, z.string().max(4096)),
  retries: z.number().int().min(0).max(20),
  enabled: z.boolean(),
  /** Verify an inbound signature (Standard Webhooks, GitHub, Stripe, generic HMAC); null: none. */
  inboundAuth: inboundAuthSchema.nullable(),
  /** Answer a provider's verification request (lib/triggers/handshakes); null: none. */
  handshake: handshakeInputSchema.nullable(),
  /** Custom acknowledgement; null: 202 with the JSON answer. */
  response: acknowledgementSchema.nullable(),
};

export const callbackCreateSchema = z
  .object({
    ...callbackFields,
    methods: callbackFields.methods.default(["POST"]),
    path: callbackFields.path.optional().default(null),
    pathTokenHeader: callbackFields.pathTokenHeader.optional().default(null),
    rateLimitPerMinute: callbackFields.rateLimitPerMinute.optional().default(null),
    maxBodyBytes: callbackFields.maxBodyBytes.default(maxTriggerBodyBytes),
    idempotencyHeader: callbackFields.idempotencyHeader.optional().default(null),
    variables: callbackFields.variables.default({}),
    retries: callbackFields.retries.default(5),
    enabled: callbackFields.enabled.default(true),
    inboundAuth: callbackFields.inboundAuth.optional().default(null),
    handshake: callbackFields.handshake.optional().default(null),
    response: callbackFields.response.optional().default(null),
    destinations: z.array(destinationInputSchema).max(50).default([]),
  })
  .strict();

export type CallbackCreateInput = z.infer<typeof callbackCreateSchema>;

export const callbackPatchSchema = z
  .object({
    name: callbackFields.name.optional(),
    methods: callbackFields.methods.optional(),
    path: callbackFields.path.optional(),
    pathTokenHeader: callbackFields.pathTokenHeader.optional(),
    rateLimitPerMinute: callbackFields.rateLimitPerMinute.optional(),
    maxBodyBytes: callbackFields.maxBodyBytes.optional(),
    idempotencyHeader: callbackFields.idempotencyHeader.optional(),
    variables: callbackFields.variables.optional(),
    retries: callbackFields.retries.optional(),
    enabled: callbackFields.enabled.optional(),
    inboundAuth: callbackFields.inboundAuth.optional(),
    handshake: callbackFields.handshake.optional(),
    response: callbackFields.response.optional(),
  })
  .strict();

export type CallbackPatchInput = z.infer<typeof callbackPatchSchema>;
