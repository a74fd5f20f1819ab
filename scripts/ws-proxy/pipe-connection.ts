// One client session: a WebSocket carrying PostgreSQL bytes, piped to a TCP socket.
import { connect } from "node:net";
import type { Socket } from "node:net";
import type { RawData, WebSocket } from "ws";
import type { Target } from "./target";
import { createTerminateDetector } from "./terminate-detector";

export interface SocketRegistry {
  add(socket: WebSocket | Socket): void;
  delete(socket: WebSocket | Socket): void;
}

/** Pause the database side while this much is still queued for a slow WebSocket client. */
const highWaterBytes = 1024 * 1024;
/** After the client goes away, how long the server may take to close its end. */
const tcpLingerMs = 2_000;
/** WebSocket close reasons are capped at 123 bytes by the protocol. */
const maxReasonChars = 120;

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export function closeWithReason(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason.slice(0, maxReasonChars));
}

export function pipeConnection(ws: WebSocket, target: Target, sockets: SocketRegistry): void {
  const tcp = connect({ host: target.host, port: target.port });
  // PostgreSQL's protocol is chatty with small messages; Nagle would add delays to each.
  tcp.setNoDelay(true);
  sockets.add(tcp);
  tcp.on("close", () => sockets.delete(tcp));
  pipeClientToServer(ws, tcp);
  pipeServerToClient(tcp, ws);
}

function pipeClientToServer(ws: WebSocket, tcp: Socket): void {
  const detector = createTerminateDetector();
  let terminated = false;
  ws.on("message", (data) => {
    if (terminated) return;
    const chunk = toBuffer(data);
    if (!tcp.write(chunk)) ws.pause();
    if (detector.clientData(chunk)) {
      terminated = true;
      tcp.end();
    }
  });
  tcp.on("drain", () => ws.resume());
  tcp.on("data", (chunk: Buffer) => detector.serverData(chunk));
  ws.on("error", () => tcp.destroy());
  ws.on("close", () => {
    tcp.end();
    setTimeout(() => tcp.destroy(), tcpLingerMs).unref();
  });
}

function pipeServerToClient(tcp: Socket, ws: WebSocket): void {
  let failure: string | undefined;
  tcp.on("data", (chunk: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(chunk, { binary: true }, () => {
      if (tcp.isPaused() && ws.bufferedAmount < highWaterBytes / 2) tcp.resume();
    });
    if (ws.bufferedAmount > highWaterBytes) tcp.pause();
  });
  tcp.on("error", (error) => {
    failure = error.message;
  });
  tcp.on("close", () => {
    // A client paused for backpressure could not read the close handshake's reply.
    ws.resume();
    if (failure) closeWithReason(ws, 1011, `target connection failed: ${failure}`);
    else closeWithReason(ws, 1000, "target closed the connection");
  });
}
