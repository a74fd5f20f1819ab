// Save-time view of where each placeholder of a URL template lands: in the origin (scheme,
// userinfo, host, port) or after it. The origin ends only at a literal "/", "?", "#" or "\"
// after "scheme://"; a placeholder standing for the base URL leaves it open until such a literal.
import type { ParsedTemplate, Placeholder } from "@/lib/templates/parse";
import { isRequestExpression } from "@/lib/templates/request-data";

// Stands for a placeholder in the skeleton; a URL template cannot contain it literally.
const slot = "\u0000";
const literalScheme = /^[A-Za-z0-9+.\-\u0000]*:[/\\]{2}/;
const originEnd = /[/?#\\]/;

interface Skeleton {
  text: string;
  /** Skeleton index of each placeholder, in order. */
  offsets: number[];
}

function skeletonOf(parsed: ParsedTemplate): Skeleton {
  let text = "";
  const offsets: number[] = [];
  for (const part of parsed.parts) {
    if (typeof part === "string") {
      text += part;
      continue;
    }
    offsets.push(text.length);
    text += slot;
  }
  return { text, offsets };
}

/** Placeholders of `parsed` (a URL template) that stand in its scheme, userinfo, host or port. */
export function placeholdersInOrigin(parsed: ParsedTemplate): Placeholder[] {
  const { text, offsets } = skeletonOf(parsed);
  const authorityStart = literalScheme.exec(text)?.[0].length ?? 0;
  const rest = text.slice(authorityStart).search(originEnd);
  const end = rest === -1 ? text.length : authorityStart + rest;
  return parsed.placeholders.filter((_placeholder, index) => (offsets[index] ?? 0) < end);
}

/** The first request placeholder that would let a sender choose the URL's origin. */
export function requestPlaceholderInOrigin(parsed: ParsedTemplate): Placeholder | undefined {
  return placeholdersInOrigin(parsed).find((placeholder) => isRequestExpression(placeholder.expression));
}
