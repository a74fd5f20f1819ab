// The embedded MQTT broker of the local stack (and of tests): aedes over TCP and over WebSocket
// (ws + createWebSocketStream), on loopback only. `npm run dev` starts it; tests start their own
// on ephemeral ports, optionally with an authenticate hook, and can cut every client's socket.
import http from "node:http";
import net from "node:net";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { Aedes, type AedesOptions } from "aedes";
import { WebSocketServer, createWebSocketStream } from "ws";

export interface MqttBrokerOptions {
  /** 0 picks a free port. */
  port: number;
  wsPort: number;
  host?: string;
  authenticate?: AedesOptions["authenticate"];
  /** Sees every client publish, from the first connection on (hooked up before listening). */
  onPublish?: (topic: string, payload: Buffer, clientId: string) => void;
  log?: (line: string) => void;
}

export interface EmbeddedMqttBroker {
  aedes: Aedes;
  port: number;
  wsPort: number;
  tcpUrl: string;
  wsUrl: string;
  /**
   * Destroys client connections server-side (all, or those whose client id matches), as a broker
   * restart or a NAT timeout would.
   */
  dropConnections(match?: (clientId: string) => boolean): void;
  /** Ids of the clients connected right now. */
  clientIds(): string[];
  close(): Promise<void>;
}

/** MQTT_PORT / MQTT_WS_PORT knobs of the local stack; 1883 belongs to the machine's own broker. */
export function readMqttBrokerPorts(source: Record<string, string | undefined>): { port: number; wsPort: number } {
  const parse = (name: string, fallback: number) => {
    const value = source[name];
    if (value === undefined || value === "") return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) throw new Error(`${name}="${value}" is not a port`);
    return parsed;
  };
  return { port: parse("MQTT_PORT", 1884), wsPort: parse("MQTT_WS_PORT", 8083) };
}

function listen(server: net.Server | http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: net.Server | http.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

type Stream = Socket | Duplex;

/** Client id → its connection, and every publish handed to `onPublish`. */
function watchClients(aedes: Aedes, options: MqttBrokerOptions): Map<string, Stream> {
  const clients = new Map<string, Stream>();
  aedes.on("client", (client) => clients.set(client.id, client.conn));
  aedes.on("clientDisconnect", (client) => {
    if (clients.get(client.id) === client.conn) clients.delete(client.id);
  });
  aedes.on("publish", (packet, client) => {
    if (client) options.onPublish?.(packet.topic, Buffer.from(packet.payload), client.id);
  });
  aedes.on("clientError", (client, error) => options.log?.(`client ${client.id} error: ${error.message}`));
  return clients;
}

function serveWebSocket(aedes: Aedes, track: (stream: Stream) => void): { web: http.Server; wss: WebSocketServer } {
  const web = http.createServer((_, response) => response.writeHead(426).end("MQTT over WebSocket only\n"));
  const wss = new WebSocketServer({ server: web });
  // ws re-emits the HTTP server's errors (EADDRINUSE…); listen() already reports those.
  wss.on("error", () => undefined);
  wss.on("connection", (socket, request) => {
    const stream = createWebSocketStream(socket);
    // A client vanishing mid-frame errors the stream; aedes already treats it as a disconnect.
    stream.on("error", () => undefined);
    track(stream);
    aedes.handle(stream, request);
  });
  return { web, wss };
}

export async function startMqttBroker(options: MqttBrokerOptions): Promise<EmbeddedMqttBroker> {
  const host = options.host ?? "127.0.0.1";
  const aedes = await Aedes.createBroker(options.authenticate ? { authenticate: options.authenticate } : {});
  const sockets = new Set<Stream>();
  const track = (stream: Stream) => {
    sockets.add(stream);
    stream.on("close", () => sockets.delete(stream));
  };
  const clients = watchClients(aedes, options);
  const tcp = net.createServer((socket) => {
    track(socket);
    aedes.handle(socket);
  });
  const { web, wss } = serveWebSocket(aedes, track);
  const close = async () => {
    for (const stream of sockets) stream.destroy();
    for (const client of wss.clients) client.terminate();
    web.closeAllConnections();
    await Promise.all([closeServer(tcp), new Promise<void>((resolve) => wss.close(() => resolve())), closeServer(web)]);
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
  };
  try {
    const port = await listen(tcp, options.port, host);
    const wsPort = await listen(web, options.wsPort, host);
    return {
      aedes,
      port,
      wsPort,
      tcpUrl: `mqtt://${host}:${port}`,
      wsUrl: `ws://${host}:${wsPort}/mqtt`,
      dropConnections: (match) => {
        if (!match) for (const stream of sockets) stream.destroy();
        else for (const [id, stream] of clients) if (match(id)) stream.destroy();
      },
      clientIds: () => [...clients.keys()],
      close,
    };
  } catch (error) {
    // One port taken must not leave the other listening.
    await close();
    throw error;
  }
}
