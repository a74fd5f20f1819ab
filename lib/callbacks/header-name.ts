// Header names an operator sets on a callback (path token, idempotency key, inbound signature).
// They appear in copy-paste snippets and in sender configuration, so they keep to the plain
// subset every tool handles without quoting surprises.
import { headerNameSchema } from "@/lib/http/header-name";

export const callbackHeaderNameSchema = headerNameSchema.regex(/^[A-Za-z0-9-]+$/, "must contain only letters, digits and -");
