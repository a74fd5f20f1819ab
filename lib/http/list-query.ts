// Query strings of the newest-first list routes (deliveries, alerts): one page size rule, and one
// way to turn the first bad parameter into a 400 that names it.
import { z } from "zod";
import { AppError } from "@/lib/errors";

export const pageLimitSchema = z.coerce.number().int().min(1).max(200).default(50);

/** An empty parameter (`?status=` from a cleared form field) counts as absent. */
export function parseListQuery<T>(schema: z.ZodType<T>, url: URL): T {
  const raw = Object.fromEntries([...url.searchParams.entries()].filter(([, value]) => value !== ""));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "query";
    throw new AppError("validation_failed", `${field}: ${issue?.message ?? "invalid"}`, { field });
  }
  return parsed.data;
}
