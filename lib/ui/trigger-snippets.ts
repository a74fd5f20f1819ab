// Copy-paste snippets for calling a callback. Pure, so the client can fill in a fresh token.
export interface TriggerTarget {
  appUrl: string;
  methods: string[];
  path: string | null;
  pathTokenHeader: string | null;
}

export const tokenPlaceholder = "$SWITCHYARD_TOKEN";

function preferredMethod(methods: readonly string[]): string {
  return methods.includes("POST") ? "POST" : (methods[0] ?? "POST");
}

const sendsBody = (method: string) => !["GET", "HEAD", "OPTIONS"].includes(method);

export function curlForToken(target: TriggerTarget, token = tokenPlaceholder): string {
  const method = preferredMethod(target.methods);
  const body = sendsBody(method) ? ` \\\n  -H 'content-type: application/json' \\\n  -d '{"hello":"world"}'` : "";
  return `curl -X ${method} "${target.appUrl}/api/trigger/${token}"${body}`;
}

/** Null when the callback has no custom path. */
export function curlForPath(target: TriggerTarget, token = tokenPlaceholder): string | null {
  if (!target.path) return null;
  const method = preferredMethod(target.methods);
  const header = target.pathTokenHeader ? ` \\\n  -H "${target.pathTokenHeader}: ${token}"` : "";
  const body = sendsBody(method) ? ` \\\n  -H 'content-type: application/json' \\\n  -d '{"hello":"world"}'` : "";
  return `curl -X ${method} "${target.appUrl}/api/hooks/${target.path}"${header}${body}`;
}
