// Slack and Discord webhook URLs carry their secret in the path, so the alert webhook's URL path
// (and query) is a credential: sealed with the other credentials, shown to everyone as
// origin + "/***", and "/***" sent back means "unchanged" — but only for the same origin, so a
// stored path can never be sent to a host it was not meant for.
import { AppError } from "@/lib/errors";
import { redactedValue } from "@/lib/log";

/** Key of the sealed path among the alert webhook's stored secrets. */
export const urlPathKey = "url#path";
const maskedPath = `/${redactedValue}`;
const originAndRest = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(.*)$/is;

/** The URL split after its origin; `path` is what follows the origin minus its first "/" ("" for none). */
export function splitUrlPath(url: string): { origin: string; path: string } {
  const match = originAndRest.exec(url);
  if (!match) return { origin: url, path: "" };
  const rest = match[2] ?? "";
  return { origin: match[1] ?? url, path: rest.startsWith("/") ? rest.slice(1) : rest };
}

/** The URL with its sealed path put back; the origin may have gained a trailing "/" when re-serialized. */
export function joinUrlPath(origin: string, path: string | undefined): string {
  return path ? `${origin.replace(/\/$/, "")}/${path}` : origin;
}

export function maskUrlPath(origin: string, hasPath: boolean): string {
  return hasPath ? joinUrlPath(origin, redactedValue) : origin;
}

/** Scheme, host and port, without userinfo (whose password is masked on one side only). */
function hostOf(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return origin.replace(/\/$/, "").toLowerCase();
  }
}

/**
 * The URL an admin sent, with "/***" replaced by the stored path. `stored` is the stored origin
 * and path; a masked path for another origin, or with nothing stored, is refused.
 */
export function resolveMaskedUrl(sent: string, stored: { origin: string; path: string } | undefined): string {
  const { origin, path } = splitUrlPath(sent);
  if (`/${path}` !== maskedPath) return sent;
  if (!stored?.path) {
    throw new AppError("validation_failed", "config.url: no stored path to keep; enter the full webhook URL", { field: "config.url" });
  }
  if (hostOf(stored.origin) !== hostOf(origin)) {
    throw new AppError("validation_failed", "config.url: the host changed, so enter the full webhook URL (the stored path is kept only for the same host)", {
      field: "config.url",
    });
  }
  return joinUrlPath(origin, stored.path);
}
