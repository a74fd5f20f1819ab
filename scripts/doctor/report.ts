// One line per check, pass or fail, with the fix; never a secret (checks name variables, not values).
export type CheckStatus = "pass" | "fail" | "skip";

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to change; set on every failure. */
  fix?: string;
}

export const pass = (name: string, detail: string): CheckResult => ({ name, status: "pass", detail });
export const skip = (name: string, detail: string): CheckResult => ({ name, status: "skip", detail });
export const fail = (name: string, detail: string, fix: string): CheckResult => ({ name, status: "fail", detail, fix });

const labels: Record<CheckStatus, string> = { pass: "PASS", fail: "FAIL", skip: "SKIP" };

export function formatResult(result: CheckResult): string {
  const line = `${labels[result.status]}  ${result.name.padEnd(11)} ${result.detail}`;
  return result.fix ? `${line} — fix: ${result.fix}` : line;
}

export function formatSummary(results: readonly CheckResult[]): string {
  const failed = results.filter((result) => result.status === "fail").length;
  return failed === 0
    ? `doctor: all ${results.length - countSkipped(results)} checks passed${countSkipped(results) > 0 ? ` (${countSkipped(results)} skipped)` : ""}`
    : `doctor: ${failed} of ${results.length} checks failed`;
}

function countSkipped(results: readonly CheckResult[]): number {
  return results.filter((result) => result.status === "skip").length;
}

/** An error's message without credentials a URL may carry (postgres://user:password@…). */
export function describeError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  const message = error instanceof Error ? `${error.message}${cause}` : String(error);
  return message.replace(/\/\/[^/@\s]+@/g, "//***@");
}

/** Bounds one check: a service that never answers fails the check instead of hanging the doctor. */
export async function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${timeoutMs / 1_000} s`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
