// One delivery's transform: build the event it sees (the captured request with a JSON body
// parsed, and the callback's variables; never a secret), run the source in the sandbox, and turn
// what it returned into the kind's message, "dropped" (null), or a failure worded for the
// delivery log with the line it happened at.
import { createHash } from "node:crypto";
import type { TemplateEvent } from "@/lib/templates";
import { defaultSandboxLimits, runInSandbox, type SandboxError, type SandboxLimits } from "@/lib/transforms/sandbox";
import { shapeTransformOutput, type TransformedMessage, type TransformKind } from "@/lib/transforms/transform-output";

/** The captured trigger request, as templates see it (lib/templates/context.ts). */
export type TransformRequest = Omit<TemplateEvent, "id" | "callbackId" | "contentType">;

export interface TransformEvent extends Pick<TransformRequest, "method" | "path" | "query" | "headers"> {
  /** Parsed when the body is JSON, else the text (base64 for a binary body). */
  body: unknown;
  vars: Readonly<Record<string, string>>;
}

export type TransformVerdict = { status: "message"; message: TransformedMessage } | { status: "dropped" } | { status: "failed"; error: string };

export const droppedByTransform = "dropped by transform";

function parsedBody(request: TransformRequest): unknown {
  if (request.bodyEncoding !== "utf8" || request.body.trim() === "") return request.body;
  try {
    return JSON.parse(request.body) as unknown;
  } catch {
    return request.body;
  }
}

function transformEvent(request: TransformRequest, vars: Readonly<Record<string, string>>): TransformEvent {
  return { method: request.method, path: request.path, query: request.query, headers: request.headers, body: parsedBody(request), vars };
}

/** A seed from the event id: the same event draws the same Math.random() numbers on every attempt. */
function seedOf(eventId: string): number {
  return createHash("sha256").update(eventId).digest().readUInt32BE(0);
}

function describeError(error: SandboxError, limits: SandboxLimits): string {
  const at = error.line === undefined ? "" : ` at line ${error.line}`;
  switch (error.kind) {
    case "timeout":
      return `transform timed out after ${limits.timeoutMs} ms${at}`;
    case "memory":
      return `transform ran out of memory (limit ${Math.round(limits.memoryBytes / 1024 / 1024)} MB)${at}`;
    case "stack":
      return `transform exceeded the stack limit${at}: ${error.name}: ${error.message}`;
    case "thrown":
      return error.stage === "compile" ? `transform does not compile${at}: ${error.name}: ${error.message}` : `transform threw${at}: ${error.name}: ${error.message}`;
  }
}

export interface RunTransformInput {
  kind: TransformKind;
  source: string;
  eventId: string;
  request: TransformRequest;
  vars: Readonly<Record<string, string>>;
  limits?: SandboxLimits;
}

export async function runTransform({ kind, source, eventId, request, vars, limits = defaultSandboxLimits }: RunTransformInput): Promise<TransformVerdict> {
  let inputJson: string;
  try {
    inputJson = JSON.stringify(transformEvent(request, vars));
  } catch {
    return { status: "failed", error: "transform input cannot be built: the body is nested too deeply to serialise" };
  }
  const nowMs = Date.parse(request.receivedAt);
  const result = await runInSandbox({ source, inputJson, nowMs: Number.isNaN(nowMs) ? 0 : nowMs, seed: seedOf(eventId) }, limits);
  if (!result.ok) return { status: "failed", error: describeError(result.error, limits) };
  if (result.json === undefined) return { status: "failed", error: "transform returned undefined: return the message, or null to drop the delivery" };
  const value: unknown = JSON.parse(result.json);
  if (value === null) return { status: "dropped" };
  const shaped = shapeTransformOutput(kind, value);
  if (!shaped.ok) return { status: "failed", error: `transform returned an invalid ${kind.toUpperCase()} message: ${shaped.error}` };
  return { status: "message", message: shaped.message };
}
