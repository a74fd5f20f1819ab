// Operator input for destinations: one zod schema per kind, chosen by `kind`.
import { z } from "zod";
import { amqpConfigSchema } from "@/lib/destinations/amqp-config";
import { httpConfigSchema } from "@/lib/destinations/http-config";
import { mqttConfigSchema } from "@/lib/destinations/mqtt-config";
import { destinationKindNames } from "@/lib/destinations/kinds";

const nameSchema = z.string().trim().min(1).max(200);

export const destinationInputSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("http"), name: nameSchema, enabled: z.boolean().default(true), config: httpConfigSchema }).strict(),
    z.object({ kind: z.literal("mqtt"), name: nameSchema, enabled: z.boolean().default(true), config: mqttConfigSchema }).strict(),
    z.object({ kind: z.literal("amqp"), name: nameSchema, enabled: z.boolean().default(true), config: amqpConfigSchema }).strict(),
  ],
  { error: () => `kind must be one of ${destinationKindNames.join(", ")}` },
);

export type DestinationInput = z.infer<typeof destinationInputSchema>;

/** PATCH: config is merged over the stored one at the top level; masked credentials stay. */
export const destinationPatchSchema = z
  .object({
    name: nameSchema.optional(),
    enabled: z.boolean().optional(),
    config: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type DestinationPatch = z.infer<typeof destinationPatchSchema>;
