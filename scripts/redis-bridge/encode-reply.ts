// Turns node-redis (RESP2) replies into the JSON values the Upstash REST API answers with.
import { ErrorReply } from "redis";

export type JsonReply = string | number | null | JsonReply[];

/**
 * Upstash's SDK leaves a top-level "OK" as is and base64-decodes every other string, at any
 * depth. Bulk strings arrive as Buffers, so values stay binary-safe when base64 is on.
 */
export function encodeReply(reply: unknown, base64: boolean): JsonReply {
  if (reply === "OK") return "OK";
  return encodeValue(reply, base64);
}

function encodeValue(reply: unknown, base64: boolean): JsonReply {
  if (reply === null || reply === undefined) return null;
  if (typeof reply === "number") return reply;
  if (typeof reply === "bigint") return Number.isSafeInteger(Number(reply)) ? Number(reply) : reply.toString();
  if (typeof reply === "boolean") return reply ? 1 : 0;
  if (Buffer.isBuffer(reply)) return base64 ? reply.toString("base64") : reply.toString("utf8");
  if (typeof reply === "string") return base64 ? Buffer.from(reply, "utf8").toString("base64") : reply;
  // A Lua script can nest error replies inside a table; the REST API has no slot for them.
  if (reply instanceof ErrorReply) return encodeValue(reply.message, base64);
  if (Array.isArray(reply)) return reply.map((item) => encodeValue(item, base64));
  // A RESP2 connection sends nothing else; a new reply type must be mapped above, not guessed at.
  throw new TypeError(`Redis reply of unexpected type ${typeof reply}`);
}
