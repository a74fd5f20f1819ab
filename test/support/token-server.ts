// A real OAuth2 token endpoint (client credentials) and a protected API on loopback, for the
// HTTP auth tests: tokens are counted, can expire quickly or be revoked, and the endpoint can be
// scripted to fail.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface TokenRequest {
  clientId: string;
  clientSecret: string;
  form: Record<string, string>;
}

export interface TokenServer {
  url: string;
  requests: TokenRequest[];
  /** Tokens this server issued and has not revoked. */
  valid: Set<string>;
  expiresIn: number;
  /** Next answers, in order: "ok" or a status with an OAuth2 error code. */
  script(answers: Array<"ok" | { status: number; error?: string }>): void;
  close(): Promise<void>;
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

function basicCredentials(header: string | undefined): [string, string] {
  const decoded = Buffer.from((header ?? "").replace(/^Basic /, ""), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const closer = (server: http.Server) => () =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

export async function startTokenServer(credentials: { clientId: string; clientSecret: string }): Promise<TokenServer> {
  let queue: Array<"ok" | { status: number; error?: string }> = [];
  let issued = 0;
  const state = { requests: [] as TokenRequest[], valid: new Set<string>(), expiresIn: 3600 };
  // node:http ignores what a listener returns, so the listener reads the body by callback.
  const server = http.createServer((request, response) => {
    void readBody(request).then((text) => {
      const form = Object.fromEntries(new URLSearchParams(text));
      const [clientId, clientSecret] = basicCredentials(request.headers.authorization);
      state.requests.push({ clientId, clientSecret, form });
      const answer = queue.shift() ?? "ok";
      const wrongClient = clientId !== credentials.clientId || clientSecret !== credentials.clientSecret;
      if (answer !== "ok" || wrongClient || form.grant_type !== "client_credentials") {
        const failure = answer === "ok" ? { status: 401, error: "invalid_client" } : answer;
        response.writeHead(failure.status, { "content-type": "application/json" }).end(JSON.stringify({ error: failure.error ?? "server_error" }));
        return;
      }
      issued += 1;
      const token = `access-token-${issued}-${Math.random().toString(36).slice(2)}`;
      state.valid.add(token);
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: token, token_type: "Bearer", expires_in: state.expiresIn }));
    });
  });
  const url = await listen(server);
  return Object.assign(state, {
    url,
    script: (answers: Array<"ok" | { status: number; error?: string }>) => void (queue = answers),
    close: closer(server),
  });
}

export interface ProtectedApi {
  url: string;
  /** Bearer tokens seen, in order, and whether each was accepted. */
  calls: Array<{ token: string; accepted: boolean }>;
  close(): Promise<void>;
}

/** Accepts a request only with a Bearer token the token server considers valid. */
export async function startProtectedApi(tokens: TokenServer): Promise<ProtectedApi> {
  const calls: ProtectedApi["calls"] = [];
  const server = http.createServer((request, response) => {
    void readBody(request).then(() => {
      const token = (request.headers.authorization ?? "").replace(/^Bearer /, "");
      const accepted = tokens.valid.has(token);
      calls.push({ token, accepted });
      response.writeHead(accepted ? 200 : 401, { "content-type": "application/json" }).end(JSON.stringify({ accepted }));
    });
  });
  return { url: await listen(server), calls, close: closer(server) };
}
