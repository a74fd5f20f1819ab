// Local stand-in for Neon's WebSocket proxy: @neondatabase/serverless speaks PostgreSQL over a
// WebSocket, and this pipes each one to a real PostgreSQL over TCP.
import { once } from "node:events";
import { createServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { closeOnSignals, isMainModule, parsePort, runMain } from "./lib/cli";
import { WebSocketServer } from "ws";
import type { WebSocket } from "ws";
import { closeWithReason, pipeConnection } from "./ws-proxy/pipe-connection";
import { checkTarget, defaultAllowedHosts } from "./ws-proxy/target";

export interface WsProxyOptions {
  /** Interface to bind; loopback by default because the proxy has no authentication. */
  host?: string;
  /** 0 picks an ephemeral port. */
  port?: number;
  /** Hosts a client may ask to reach; loopback only by default. */
  allowedHosts?: string[];
  log?: (line: string) => void;
}

export interface WsProxy {
  /** host:port, the form `neonConfig.wsProxy` takes. */
  url: string;
  port: number;
  /** WebSockets and TCP sockets not yet closed; zero once every client has ended. */
  openSockets(): number;
  close(): Promise<void>;
}

type AnySocket = WebSocket | Socket;

export async function startWsProxy(options: WsProxyOptions = {}): Promise<WsProxy> {
  const host = options.host ?? "127.0.0.1";
  const allowedHosts = options.allowedHosts ?? defaultAllowedHosts;
  const log = options.log ?? (() => undefined);
  const sockets = new Set<AnySocket>();
  const server = createServer((_request, response) => {
    response.writeHead(426, { "content-type": "text/plain", upgrade: "websocket" });
    response.end("This is a WebSocket→PostgreSQL proxy for @neondatabase/serverless.\n");
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on("upgrade", (request: IncomingMessage, socket: Socket, head: Buffer) => {
    // Browsers always send Origin and ignore CORS for WebSockets: without this check any web
    // page could reach a trust-auth PostgreSQL through the proxy. Node clients send none.
    if (request.headers.origin !== undefined) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, request, { sockets, allowedHosts, log }));
  });
  server.listen(options.port ?? 0, host);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    openSockets: () => sockets.size,
    close() {
      closing ??= closeAll(server, wss, sockets);
      return closing;
    },
  };
}

interface AcceptContext {
  sockets: Set<AnySocket>;
  allowedHosts: readonly string[];
  log: (line: string) => void;
}

function accept(ws: WebSocket, request: IncomingMessage, context: AcceptContext): void {
  context.sockets.add(ws);
  ws.on("close", () => context.sockets.delete(ws));
  ws.on("error", (error) => context.log(`ws-proxy: client error: ${error.message}`));
  const checked = checkTarget(request.url, context.allowedHosts);
  if (!checked.ok) {
    context.log(`ws-proxy: refused ${request.url ?? ""}: ${checked.reason}`);
    // 1008 = policy violation; the reason tells the developer what to fix.
    closeWithReason(ws, 1008, checked.reason);
    return;
  }
  pipeConnection(ws, checked.target, context.sockets);
}

async function closeAll(server: Server, wss: WebSocketServer, sockets: Set<AnySocket>): Promise<void> {
  // Waits for every socket's close so openSockets() reads zero once close() resolves.
  const socketsClosed = [...sockets].map((socket) => new Promise((resolve) => socket.once("close", resolve)));
  for (const socket of sockets) {
    if ("terminate" in socket) socket.terminate();
    else socket.destroy();
  }
  await Promise.all(socketsClosed);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await closed;
}

async function main(): Promise<void> {
  const proxy = await startWsProxy({ port: parsePort(process.env.NEON_WS_PROXY_PORT, 8081, "NEON_WS_PROXY_PORT"), log: (line) => console.log(line) });
  console.log(`ws-proxy: listening on ${proxy.url} (NEON_WS_PROXY=${proxy.url})`);
  closeOnSignals(proxy.close);
}

if (isMainModule(import.meta.url)) runMain(main);
