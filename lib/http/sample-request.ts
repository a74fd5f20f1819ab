// The request-like sample an operator sends to try a destination without a trigger (preview,
// filter-test): one schema, so both read a sample the same way. A string body is the body as
// sent; any other JSON value is sent as JSON, bounded in depth before anything serialises it.
import { z } from "zod";
import { exceedsDepth, maxSampleDepth } from "@/lib/http/json-depth";

export function sampleRequestSchema<M extends z.ZodType<string>>(method: M, defaultPath: string) {
  return z
    .object({
      method,
      path: z.string().max(2048).default(defaultPath),
      query: z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({}),
      headers: z.record(z.string(), z.string()).default({}),
      body: z
        .unknown()
        .optional()
        .refine((body) => !exceedsDepth(body, maxSampleDepth), `is nested more than ${maxSampleDepth} levels deep: send deeper data as a JSON string`),
    })
    .strict();
}
