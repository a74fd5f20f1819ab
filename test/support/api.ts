// Small helpers for calling the app like an operator or a webhook sender would.
import { expect } from "vitest";
import { testAdminToken } from "./ports";

export interface ApiResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function call<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null; headers?: Record<string, string>; raw?: string | Uint8Array } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? testAdminToken : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | Uint8Array | undefined = options.raw;
  if (options.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body = JSON.stringify(options.body);
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body as BodyInit | undefined });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON; keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/** Polls `check` until it returns a truthy value; fails with the last value after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${options.what ?? "condition"}; last: ${String(last)}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25));
  }
}

/** The JSON error every route answers with. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string; issues?: Array<{ field: string; message: string }> };
}

/** A 422 validation error naming `field`, with a message matching `message`. */
export function expect422(result: ApiResult<unknown>, field: string, message: RegExp): void {
  expect(result.status, result.text).toBe(422);
  const body = result.body as ErrorBody;
  expect(body.error.code).toBe("validation_failed");
  expect(body.error.field).toBe(field);
  expect(body.error.message).toMatch(message);
}
