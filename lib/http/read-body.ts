// Reads request bodies with a byte cap, so an oversized body is refused before it is buffered.
// One reader serves Web requests (App Router) and Node requests (Pages API routes): both are
// async iterables of byte chunks.
import type { z } from "zod";
import { AppError, validationError } from "@/lib/errors";

const maxJsonBodyBytes = 1_048_576;

/**
 * The body as bytes, or 413 once more than `maxBytes` arrive (Content-Length checked first).
 * Leaving the loop early ends the iteration: a Web stream is cancelled; a Node request must be
 * iterated with `destroyOnReturn: false` so its socket survives to carry the 413.
 */
export async function readCappedBody(chunks: AsyncIterable<Uint8Array> | null, contentLength: string | null, maxBytes: number): Promise<Uint8Array> {
  if (Number(contentLength ?? "0") > maxBytes) throw tooLarge(maxBytes);
  if (!chunks) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of chunks) {
      total += chunk.byteLength;
      if (total > maxBytes) throw tooLarge(maxBytes);
      parts.push(chunk);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    // The sender hung up mid-body: its mistake (or its timeout), not a server fault to log.
    throw new AppError("bad_request", "The request body ended early: the connection closed", { cause: error });
  }
  return parts.length === 1 && parts[0] ? parts[0] : Buffer.concat(parts, total);
}

/** The raw body of a Web request, capped like readCappedBody. */
function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  return readCappedBody(request.body, request.headers.get("content-length"), maxBytes);
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large", `Request body exceeds the limit of ${maxBytes} bytes`);
}

/** Parses a JSON request body against `schema`: 400 for bad JSON, 422 naming the field otherwise. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const bytes = await readBodyBytes(request, maxJsonBodyBytes);
  const text = new TextDecoder().decode(bytes);
  let data: unknown;
  try {
    data = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "Request body is not valid JSON");
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
