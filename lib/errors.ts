// One error type with a closed set of codes, one code→status table, and one function that turns
// anything thrown into an AppError without leaking stacks or secrets (lib/http/error-reply.ts
// makes the response).
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { log } from "@/lib/log";

const errorStatus = {
  bad_request: 400,
  validation_failed: 422,
  idempotency_key_reused: 422,
  unauthorized: 401,
  invalid_signature: 401,
  forbidden: 403,
  wrong_password: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  queue_misconfigured: 500,
  queue_unavailable: 503,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface AppErrorOptions {
  /** Dotted path of the offending input field, e.g. "config.qos". */
  field?: string;
  headers?: Record<string, string>;
  cause?: unknown;
}

export class AppError extends Error {
  override name = "AppError";
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.headers = options.headers ?? {};
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export function notFound(what: string): AppError {
  return new AppError("not_found", `${what} not found`);
}

/** A record key's own rule ("must contain only letters, digits and -"), not zod's "Invalid key in record". */
export function issueMessage(issue: z.core.$ZodIssue): string {
  return issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
}

/** zod issues → one 422 naming the first failing field (all issues listed in the message). */
export function validationError(error: z.ZodError, prefix = ""): AppError {
  const issues = error.issues.map((issue) => {
    const field = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    return { field, message: issueMessage(issue) };
  });
  const first = issues[0];
  const message = issues.map((issue) => (issue.field ? `${issue.field}: ${issue.message}` : issue.message)).join("; ");
  return new AppError("validation_failed", message || "Invalid input", { field: first?.field || undefined });
}

export function errorBody(error: AppError): { error: { code: ErrorCode; message: string; field?: string } } {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
    },
  };
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) return validationError(error);
  const requestId = randomUUID();
  log.error("unhandled error", { requestId, error });
  return new AppError("internal_error", `Internal error (request id ${requestId})`);
}
