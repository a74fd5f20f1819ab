// An HTTP header name as RFC 9110 defines a token: what a destination may name a header. Names
// an operator sets on a callback (path token, idempotency key, inbound signature, acknowledgement)
// and names a transform returns keep to the plain subset: they appear in copy-paste snippets and
// sender configuration, and every tool handles them without quoting surprises.
import { z } from "zod";

export const headerNameSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "must be a valid HTTP header name");

export const plainHeaderNameSchema = headerNameSchema.regex(/^[A-Za-z0-9-]+$/, "must contain only letters, digits and -");
