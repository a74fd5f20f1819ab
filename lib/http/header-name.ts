// An HTTP header name as RFC 9110 defines a token: what a destination, a callback's settings and
// a transform's output may name a header.
import { z } from "zod";

export const headerNameSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "must be a valid HTTP header name");
