// Postgres text cannot hold U+0000, and jsonb refuses it too, as well as a lone UTF-16 surrogate
// (which JSON.stringify writes as a "\ud800" escape). An event can carry either into what an
// attempt records: a JSON body's "\u0000" or "\ud800" escape inserted by a template, a transform
// throwing a message built from the request. Stored, each becomes U+FFFD; what was sent is
// unchanged. Without this the write fails, QStash retries it until the delivery is dead, and the
// event's content has tripped the circuit breaker.
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function storableText(text: string): string {
  return text.replace(unstorable, "\uFFFD");
}

/** `value` with every string and key storable; plain data only (what an attempt records). */
export function storableValue<T>(value: T): T {
  const walk = (node: unknown): unknown => {
    if (typeof node === "string") return storableText(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(node) as object | null)) {
      return Object.fromEntries(Object.entries(node).map(([key, inner]) => [storableText(key), walk(inner)]));
    }
    return node;
  };
  return walk(value) as T;
}
