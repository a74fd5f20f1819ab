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

interface SampleRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body?: unknown;
}

/** The sample as the trigger route would have captured it (no sample: an empty POST to `defaultPath`). */
export function capturedSampleOf(sample: SampleRequest | undefined, defaultPath: string) {
  const headers = Object.fromEntries(Object.entries(sample?.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const body = sample?.body === undefined ? "" : typeof sample.body === "string" ? sample.body : JSON.stringify(sample.body);
  if (sample?.body !== undefined && typeof sample.body !== "string") headers["content-type"] ??= "application/json";
  const method = (sample?.method ?? "POST").toUpperCase();
  return { method, path: sample?.path ?? defaultPath, query: sample?.query ?? {}, headers, body, bodyEncoding: "utf8" as const, receivedAt: new Date().toISOString() };
}
