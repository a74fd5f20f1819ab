// Operator input for destinations: one zod schema per kind, chosen by `kind`.
import { z } from "zod";
import { defaultMaxConcurrency } from "@/lib/destinations/limits";
import { amqpConfigSchema } from "@/lib/destinations/amqp/config";
import { httpConfigInputSchema } from "@/lib/destinations/http/config";
import { mqttConfigSchema } from "@/lib/destinations/mqtt/config";
import { destinationKindNames } from "@/lib/destinations/kinds";
import { fillPresetDefaults } from "@/lib/destinations/presets/presets";
import { filterSchema } from "@/lib/filters/filter-schema";
import { maxTransformBytes } from "@/lib/transforms/check-transform";
import { deliveryOptionFields, deliveryOptionPatchFields } from "@/lib/destinations/lanes/delivery-options";

const nameSchema = z.string().trim().min(1).max(200);

/** Failed deliveries in a row (ended failed or dead; attempts do not count) that trip the circuit breaker; null: never. */
const failureThresholdSchema = z.number().int().min(1).max(10_000).nullable();
export const defaultFailureThreshold = 20;
const failureThreshold = failureThresholdSchema.default(defaultFailureThreshold);

const maxConcurrencySchema = z.number().int().min(1).max(1000);
const maxConcurrency = maxConcurrencySchema.default(defaultMaxConcurrency);

/** Only events the filter matches are delivered here (lib/filters); null or absent: every event. */
const filterField = filterSchema.nullable();

/** JavaScript `function transform(event)`, run in the sandbox at delivery time; checked at save. */
const transformField = z
  .string()
  .refine((source) => Buffer.byteLength(source) <= maxTransformBytes, `must be at most ${maxTransformBytes} bytes`)
  .nullable();

/** Every kind's fields besides its config; the routing ones include ordering, rate limit, retry schedule and breaker action (issue #16, lanes/delivery-options.ts). */
const commonFields = {
  name: nameSchema,
  enabled: z.boolean().default(true),
  failureThreshold,
  maxConcurrency,
  filter: filterField.optional(),
  transform: transformField.optional(),
  ...deliveryOptionFields,
};

/** A named preset fills its defaults into the fields the input leaves out, before the schema's own defaults. */
const withPreset = <S extends z.ZodType>(kind: "http" | "mqtt" | "amqp", schema: S) => z.preprocess((config) => fillPresetDefaults(kind, config), schema);

export const destinationInputSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("http"), ...commonFields, config: withPreset("http", httpConfigInputSchema) }).strict(),
    z.object({ kind: z.literal("mqtt"), ...commonFields, config: withPreset("mqtt", mqttConfigSchema) }).strict(),
    z.object({ kind: z.literal("amqp"), ...commonFields, config: withPreset("amqp", amqpConfigSchema) }).strict(),
  ],
  { error: () => `kind must be one of ${destinationKindNames.join(", ")}` },
);

export type DestinationInput = z.infer<typeof destinationInputSchema>;

/** PATCH: config is merged over the stored one at the top level; masked credentials stay. */
export const destinationPatchSchema = z
  .object({
    name: nameSchema.optional(),
    enabled: z.boolean().optional(),
    failureThreshold: failureThresholdSchema.optional(),
    maxConcurrency: maxConcurrencySchema.optional(),
    /** null removes the filter (every event is delivered again) or the transform. */
    filter: filterField.optional(),
    transform: transformField.optional(),
    ...deliveryOptionPatchFields,
    config: z.record(z.string(), z.unknown()).optional(),
    /** Replace the whsec_ signing secret; the new one is returned once, like at creation. */
    rotateSigningSecret: z.boolean().optional(),
  })
  .strict();

export type DestinationPatch = z.infer<typeof destinationPatchSchema>;
