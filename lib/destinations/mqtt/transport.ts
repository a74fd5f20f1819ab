// The byte stream under one MQTT connection, opened here rather than by mqtt.js so that every
// transport (mqtt, mqtts, ws, wss) resolves the broker's host through the address guard AT
// CONNECT TIME: the address checked is the address connected to, so a DNS answer that changes
// after a check (rebinding) cannot reach a blocked network. mqtt.js takes no `lookup` for TCP.
import net from "node:net";
import tls from "node:tls";
import type { Duplex } from "node:stream";
import WebSocket, { createWebSocketStream } from "ws";
import { addressPolicy, assertLiteralAllowed, guardedLookup } from "@/lib/destinations/address-guard";
import type { TlsConnectOptions } from "@/lib/destinations/tls/options";

export const mqttDefaultPorts: Readonly<Record<string, number>> = { mqtt: 1883, mqtts: 8883, ws: 80, wss: 443 };

export interface MqttTransportOptions {
  /** mqtt:, mqtts:, ws: or wss:, without credentials; a WebSocket URL keeps its path and query. */
  url: URL;
  /** Used by mqtts and wss only. */
  tls: TlsConnectOptions;
  allowPrivate: boolean;
}

/** A WebSocket upgrade the server answered with an HTTP status instead of 101. */
export class WebSocketUpgradeError extends Error {
  override name = "WebSocketUpgradeError";
  constructor(readonly statusCode: number) {
    super(`the server answered the WebSocket upgrade with HTTP ${statusCode}`);
  }
}

function ignore(): void {}

const bareHost = (url: URL) => url.hostname.replace(/^\[|\]$/g, "");

/** Throws BlockedAddressError when the URL's host is an IP literal the policy refuses (Node skips `lookup` for those). */
export function assertMqttHostAllowed(url: URL, allowPrivate: boolean): void {
  assertLiteralAllowed(bareHost(url), addressPolicy(allowPrivate));
}

function openSocket(options: MqttTransportOptions, secure: boolean): net.Socket {
  const host = bareHost(options.url);
  const scheme = options.url.protocol.slice(0, -1);
  const port = Number(options.url.port) || (mqttDefaultPorts[scheme] ?? 0);
  const lookup = guardedLookup(addressPolicy(options.allowPrivate));
  if (!secure) return net.connect({ host, port, lookup, noDelay: true });
  // SNI and the certificate check go to the host name (never an IP literal) unless tls.servername says otherwise.
  const servername = options.tls.servername ?? (net.isIP(host) === 0 ? host : undefined);
  return tls.connect({ ...options.tls, host, port, lookup, ...(servername ? { servername } : {}) });
}

function openWebSocket(options: MqttTransportOptions, secure: boolean): Duplex {
  // "mqtt" is the subprotocol of MQTT 3.1.1 and 5 (only 3.1 used "mqttv3.1").
  const socket = new WebSocket(options.url, ["mqtt"], {
    // ws hands these to http(s).request; the connection itself is ours, guarded like the others.
    createConnection: () => openSocket(options, secure),
    perMessageDeflate: false,
    followRedirects: false,
  });
  const stream = createWebSocketStream(socket);
  // Listening takes over ws's own abort. The status is what the operator needs (a refused signed
  // URL is 403), so it is the stream's first error: destroying the stream alone would surface
  // ws's generic "closed before the connection was established" instead. The stream's own error
  // listener destroys it too, which terminates the socket.
  socket.on("unexpected-response", (_request, response) => {
    response.resume();
    stream.emit("error", new WebSocketUpgradeError(response.statusCode ?? 0));
    stream.destroy();
  });
  socket.on("error", ignore);
  socket.on("close", () => stream.destroy());
  return stream;
}

/** The stream mqtt.js reads and writes; errors surface as its 'error' event. */
export function openMqttStream(options: MqttTransportOptions): Duplex {
  switch (options.url.protocol) {
    case "mqtt:":
      return openSocket(options, false);
    case "mqtts:":
      return openSocket(options, true);
    case "ws:":
      return openWebSocket(options, false);
    default:
      return openWebSocket(options, true);
  }
}
