// Serves the app's route handlers in-process over real HTTP, so QStash (the local server) can
// call /api/deliver and tests can drive every route without building Next: App Router
// `route.ts` files under app/api and Pages API routes under pages/api, matched as Next does.
import { readdirSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { Readable } from "node:stream";
import { listenOnLoopback, type LoopbackServer } from "@/scripts/lib/net-tools";

type Params = Record<string, string | string[]>;
type RouteHandler = (request: Request, context: { params: Promise<Params> }) => Promise<Response>;
type PagesApiHandler = (request: http.IncomingMessage & { query: Params }, response: http.ServerResponse) => Promise<void>;
type RouteModule = Record<string, RouteHandler> & { default?: PagesApiHandler };

interface RouteEntry {
  kind: "app" | "pages";
  pattern: RegExp;
  names: Array<{ name: string; catchAll: boolean }>;
  file: string;
  module?: RouteModule;
}

const root = path.resolve(import.meta.dirname, "../..");

function findFiles(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return findFiles(full, keep);
    return keep(entry) ? [full] : [];
  });
}

/** app/api/x/[id]/route.ts and pages/api/x/[id].ts (or …/index.ts) both serve /api/x/:id. */
function urlSegments(kind: RouteEntry["kind"], file: string): string[] {
  if (kind === "app") return path.relative(path.join(root, "app"), path.dirname(file)).split(path.sep);
  const segments = path.relative(path.join(root, "pages"), file).replace(/\.ts$/, "").split(path.sep);
  return segments.at(-1) === "index" ? segments.slice(0, -1) : segments;
}

function toEntry(kind: RouteEntry["kind"], file: string): RouteEntry {
  const segments = urlSegments(kind, file);
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
  return { kind, pattern: new RegExp(`^/${source}/?$`), names, file };
}

/** Static segments win over dynamic ones, as in Next. */
function specificity(entry: RouteEntry): number {
  return entry.names.length * 10 + (entry.names.some((name) => name.catchAll) ? 5 : 0);
}

export type AppServer = LoopbackServer;

export async function startAppServer(port: number): Promise<AppServer> {
  const routes = [
    ...findFiles(path.join(root, "app/api"), (name) => name === "route.ts").map((file) => toEntry("app", file)),
    ...findFiles(path.join(root, "pages/api"), (name) => name.endsWith(".ts")).map((file) => toEntry("pages", file)),
  ].sort((a, b) => specificity(a) - specificity(b));
  const server = http.createServer((req, res) => {
    handle(routes, req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  return listenOnLoopback(server, port);
}

async function handle(routes: RouteEntry[], req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
  for (const entry of routes) {
    const match = entry.pattern.exec(url.pathname);
    if (!match) continue;
    entry.module ??= (await import(entry.file)) as RouteModule;
    const params: Params = Object.fromEntries(
      entry.names.map(({ name, catchAll }, index) => {
        const raw = match[index + 1] ?? "";
        return [name, catchAll ? raw.split("/").map(decodeURIComponent) : decodeURIComponent(raw)];
      }),
    );
    if (entry.kind === "pages") {
      // Next's req.query: the query string, overridden by the dynamic segments.
      const query: Params = { ...Object.fromEntries(url.searchParams), ...params };
      const pagesHandler = entry.module.default;
      if (!pagesHandler) throw new Error(`${entry.file} has no default export`);
      await pagesHandler(Object.assign(req, { query }), res);
      return;
    }
    const handler = entry.module[req.method ?? "GET"];
    if (!handler) {
      res.writeHead(405).end();
      return;
    }
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
