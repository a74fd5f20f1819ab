// The browser side of the JSON API: same-origin fetch with the session cookie. The browser adds
// the Origin header the API's CSRF check wants; errors come back as values, never thrown.
export interface ApiError {
  code: string;
  message: string;
  field?: string;
}

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; error: ApiError };

function readError(status: number, body: unknown): ApiError {
  const error = (body as { error?: Partial<ApiError> } | null)?.error;
  if (error && typeof error.message === "string") return { code: error.code ?? "error", message: error.message, field: error.field };
  return { code: "http_error", message: `The server answered ${status}` };
}

export async function apiCall<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      cache: "no-store",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    return { ok: false, status: 0, error: { code: "network", message: `Could not reach the server (${(error as Error).message})` } };
  }
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (response.status === 401 && typeof window !== "undefined") {
    const next = `${window.location.pathname}${window.location.search}`;
    window.location.assign(`/login?next=${encodeURIComponent(next)}`);
  }
  return response.ok ? { ok: true, status: response.status, data: parsed as T } : { ok: false, status: response.status, error: readError(response.status, parsed) };
}
