// Where sign-in may send the browser next: a path on this site, nothing else.
const localOrigin = "http://next.invalid";

/**
 * Only a path on this site may follow sign-in. Browsers drop tabs and newlines from URLs and read
 * "\\" as "/", and some servers decode "%2F" before routing, so "/\t/evil", "/\\evil" and
 * "/%2F%2Fevil" could all leave the site: anything but printable ASCII, any backslash, a leading
 * "//" before or after decoding, or a different origin once resolved, means "/".
 */
export function safeNextPath(next: string | undefined | null): string {
  if (!next || !/^\/(?![/\\])/.test(next) || !/^[\x21-\x7e]+$/.test(next) || next.includes("\\")) return "/";
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return "/";
  }
  if (/^\/[/\\]/.test(decoded) || /[\\\x00-\x1f\x7f]/.test(decoded)) return "/";
  return new URL(next, localOrigin).origin === localOrigin ? next : "/";
}
