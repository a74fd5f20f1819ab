// Faults the soak suite injects without touching the machine's shared services: gates in front
// of a service (TCP for PostgreSQL's WebSocket proxy, HTTP for QStash and the app) that can be
// shut and reopened, and a Mosquitto child process that can be killed -9 and restarted.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import type { AddressInfo, Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { portAnswers } from "@/scripts/brokers/ensure-brokers";
import { tieSockets } from "@/scripts/lib/net-tools";
import { waitFor } from "../support/api";
import { forwardableHeaders, hopByHop } from "../support/forward-headers";

export interface Gate {
  port: number;
  url: string;
  /** Connections (or requests) turned away while shut. */
  readonly refused: number;
  /** Shut: cut every open connection and turn away new ones at once. */
  shut(): void;
  open(): void;
  close(): Promise<void>;
}

async function listenLoopback(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** A TCP gate: pipes bytes to 127.0.0.1:targetPort while open. */
export async function startTcpGate(targetPort: number): Promise<Gate> {
  const sockets = new Set<Socket>();
  let shut = false;
  let refused = 0;
  const server = net.createServer((client) => {
    client.on("error", () => undefined);
    if (shut) {
      refused += 1;
      client.destroy();
      return;
    }
    const upstream = net.connect({ host: "127.0.0.1", port: targetPort });
    tieSockets(client, upstream, sockets);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const port = await listenLoopback(server);
  return {
    port,
    url: `127.0.0.1:${port}`,
    get refused() {
      return refused;
    },
    shut() {
      shut = true;
      for (const socket of sockets) socket.destroy();
    },
    open() {
      shut = false;
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Exchange {
  method: string;
  path: string;
  /** The first 1,000 characters of what was sent and of the answer. */
  requestBody: string;
  status: number;
  body: string;
}

export interface HttpGate extends Gate {
  /** Every request forwarded while open, with the answer it got. */
  exchanges: Exchange[];
}

/**
 * An HTTP gate: forwards each request to `target` while open and records the answer; while
 * shut it drops the connection without forwarding (the caller sees a network error). The
 * open/shut decision is made once per request on arrival, so a turned-away request never
 * reached the target.
 */
export async function startHttpGate(target: string): Promise<HttpGate> {
  const exchanges: Exchange[] = [];
  const sockets = new Set<Socket>();
  let shut = false;
  let refused = 0;
  const server = http.createServer((req, res) => {
    if (shut) {
      refused += 1;
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = chunks.length > 0 ? new Uint8Array(Buffer.concat(chunks)) : undefined;
      const method = req.method ?? "GET";
      fetch(`${target}${req.url ?? "/"}`, { method, headers: forwardableHeaders(req), body: method === "GET" || method === "HEAD" ? undefined : body, redirect: "manual" })
        .then(async (response) => {
          const answer = Buffer.from(await response.arrayBuffer());
          exchanges.push({
            method,
            path: req.url ?? "/",
            requestBody: body ? Buffer.from(body).toString("utf8").slice(0, 1_000) : "",
            status: response.status,
            body: answer.toString("utf8").slice(0, 1_000),
          });
          const headers: Record<string, string> = {};
          response.headers.forEach((value, name) => {
            if (!hopByHop.has(name) && name !== "content-encoding") headers[name] = value;
          });
          res.writeHead(response.status, headers).end(answer);
        })
        .catch(() => req.socket.destroy());
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const port = await listenLoopback(server);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    exchanges,
    get refused() {
      return refused;
    },
    shut() {
      shut = true;
      for (const socket of sockets) socket.destroy();
    },
    open() {
      shut = false;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface MosquittoProcess {
  port: number;
  url: string;
  /** SIGKILL: no goodbye to clients, no final persistence save. */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same persistence folder. */
  start(): Promise<void>;
  close(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/**
 * A Mosquitto of our own on `port` (loopback), persisting sessions and queued QoS 1 messages to a
 * temporary folder after every change, so a persistent subscriber's session survives a kill -9.
 */
export async function startMosquitto(port: number): Promise<MosquittoProcess> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-soak-mosquitto-"));
  // Started as root, Mosquitto drops to its own user: it must be able to write its state here.
  chmodSync(dir, 0o777);
  const configFile = path.join(dir, "mosquitto.conf");
  writeFileSync(
    configFile,
    [
      `listener ${port} 127.0.0.1`,
      "allow_anonymous true",
      "persistence true",
      `persistence_location ${dir}/`,
      "autosave_on_changes true",
      "autosave_interval 1",
      "max_queued_messages 100000",
      `log_dest file ${dir}/mosquitto.log`,
      "",
    ].join("\n"),
  );
  let child: ChildProcess | undefined;
  const start = async () => {
    const spawned = spawn("mosquitto", ["-c", configFile], { stdio: "ignore" });
    spawned.on("error", () => undefined);
    child = spawned;
    await waitFor(
      async () => {
        if (spawned.exitCode !== null) throw new Error(`mosquitto exited with ${spawned.exitCode} (see ${dir}/mosquitto.log)`);
        return portAnswers(port);
      },
      { timeoutMs: 5_000, intervalMs: 20, what: `mosquitto on :${port}` },
    );
  };
  const kill = async () => {
    if (!child) return;
    const running = child;
    running.kill("SIGKILL");
    await exited(running);
  };
  await start();
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    kill,
    start,
    close: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
