// The filter language's entry points for input: parseFilter for code that holds a value, and
// filterSchema for zod input schemas, both naming the path inside the filter that is wrong, e.g.
// `filter.body.amount.numeric`. A valid filter is kept as the plain JSON it was written as.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { checkFilter } from "@/lib/filters/check-filter";

export { filterLimits } from "@/lib/filters/filter-limits";

/** A validated filter (plain JSON): see README "Filters". */
export type Filter = { [key: string]: unknown };

/** Validates; throws AppError("validation_failed", "<field>.<path>: <message>", { field: "<field>.<path>" }). */
export function parseFilter(input: unknown, field = "filter"): Filter {
  const found = checkFilter(input);
  if (found === undefined) return input as Filter;
  const where = [field, ...found.path].join(".");
  throw new AppError("validation_failed", `${where}: ${found.message}`, { field: where });
}

/** For zod input schemas: the same checks, each issue at its path inside the filter. */
export const filterSchema: z.ZodType<Filter> = z.unknown().transform((input, context) => {
  const found = checkFilter(input);
  if (found === undefined) return input as Filter;
  context.addIssue({ code: "custom", message: found.message, path: found.path });
  return z.NEVER;
});
