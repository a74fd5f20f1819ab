// Copy-paste snippets for calling a callback. Pure, so the client can fill in a fresh token.
// Every value is quoted for a POSIX shell: a path, header name or URL holding ' $ ` or spaces
// must reach curl as typed, never run as shell syntax on the operator's machine.
export interface TriggerTarget {
  appUrl: string;
  methods: string[];
  path: string | null;
  pathTokenHeader: string | null;
}

export const tokenPlaceholder = "$SWITCHYARD_TOKEN";

/** Single-quoted; a ' inside becomes '\'' (close, escaped quote, reopen). */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** `prefix` then the token; the placeholder stays an expandable variable, double-quoted. */
function quoteWithToken(prefix: string, token: string): string {
  return token === tokenPlaceholder ? `${shellQuote(prefix)}"${tokenPlaceholder}"` : shellQuote(`${prefix}${token}`);
}

function preferredMethod(methods: readonly string[]): string {
  return methods.includes("POST") ? "POST" : (methods[0] ?? "POST");
}

const sendsBody = (method: string) => !["GET", "HEAD", "OPTIONS"].includes(method);

function bodyLines(method: string): string {
  if (!sendsBody(method)) return "";
  return ` \\\n  -H ${shellQuote("content-type: application/json")} \\\n  -d ${shellQuote('{"hello":"world"}')}`;
}

export function curlForToken(target: TriggerTarget, token = tokenPlaceholder): string {
  const method = preferredMethod(target.methods);
  return `curl -X ${shellQuote(method)} ${quoteWithToken(`${target.appUrl}/api/trigger/`, token)}${bodyLines(method)}`;
}

/** Null when the callback has no custom path. */
export function curlForPath(target: TriggerTarget, token = tokenPlaceholder): string | null {
  if (!target.path) return null;
  const method = preferredMethod(target.methods);
  const header = target.pathTokenHeader ? ` \\\n  -H ${quoteWithToken(`${target.pathTokenHeader}: `, token)}` : "";
  return `curl -X ${shellQuote(method)} ${shellQuote(`${target.appUrl}/api/hooks/${target.path}`)}${header}${bodyLines(method)}`;
}
