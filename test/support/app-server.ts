// Serves the app's route handlers in-process over real HTTP, so QStash (the local server) can
// call /api/deliver and tests can drive every route without building Next.
import { readdirSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { Readable } from "node:stream";
import type { AddressInfo } from "node:net";

type RouteHandler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

interface RouteEntry {
  pattern: RegExp;
  names: Array<{ name: string; catchAll: boolean }>;
  file: string;
  module?: Record<string, RouteHandler>;
}

const appDir = path.resolve(import.meta.dirname, "../../app");

function findRouteFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return findRouteFiles(full);
    return entry === "route.ts" ? [full] : [];
  });
}

function toEntry(file: string): RouteEntry {
  const segments = path.relative(appDir, path.dirname(file)).split(path.sep);
  const names: RouteEntry["names"] = [];
  const source = segments
    .map((segment) => {
      const catchAll = /^\[\.\.\.(\w+)\]$/.exec(segment);
      if (catchAll?.[1]) {
        names.push({ name: catchAll[1], catchAll: true });
        return "(.+)";
      }
      const dynamic = /^\[(\w+)\]$/.exec(segment);
      if (dynamic?.[1]) {
        names.push({ name: dynamic[1], catchAll: false });
        return "([^/]+)";
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { pattern: new RegExp(`^/${source}/?$`), names, file };
}

/** Static segments win over dynamic ones, as in Next. */
function specificity(entry: RouteEntry): number {
  return entry.names.length * 10 + (entry.names.some((name) => name.catchAll) ? 5 : 0);
}

export interface AppServer {
  url: string;
  close(): Promise<void>;
}

export async function startAppServer(port: number): Promise<AppServer> {
  const routes = findRouteFiles(path.join(appDir, "api")).map(toEntry).sort((a, b) => specificity(a) - specificity(b));
  const server = http.createServer((req, res) => {
    handle(routes, req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(routes: RouteEntry[], req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
  for (const entry of routes) {
    const match = entry.pattern.exec(url.pathname);
    if (!match) continue;
    entry.module ??= (await import(entry.file)) as Record<string, RouteHandler>;
    const handler = entry.module[req.method ?? "GET"];
    if (!handler) {
      res.writeHead(405).end();
      return;
    }
    const params = Object.fromEntries(
      entry.names.map(({ name, catchAll }, index) => {
        const raw = match[index + 1] ?? "";
        return [name, catchAll ? raw.split("/").map(decodeURIComponent) : decodeURIComponent(raw)];
      }),
    );
    const response = await handler(toRequest(req, url), { params: Promise.resolve(params) });
    // A handler that refused a body without reading it (413) leaves bytes on the socket: close
    // it, as production servers do, rather than let the client reuse a poisoned connection.
    if (!req.complete) res.setHeader("connection", "close");
    await writeResponse(response, res, req.method === "HEAD");
    return;
  }
  res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"code":"not_found","message":"no route"}}');
}

function toRequest(req: http.IncomingMessage, url: URL): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(url, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    duplex: "half",
  } as RequestInit);
}

async function writeResponse(response: Response, res: http.ServerResponse, head: boolean): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  if (head || !response.body) {
    res.end();
    return;
  }
  res.end(Buffer.from(await response.arrayBuffer()));
}
