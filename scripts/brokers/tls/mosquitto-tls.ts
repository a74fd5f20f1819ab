// A Mosquitto of its own with four TLS listeners on loopback, for the TLS tests and the bench:
// mqtts and wss, each with and without a required client certificate (issued by the stand's CA).
// Its config lives in a temp dir, its ports are free ones, and it is killed on stop() and when
// this process exits, so no run leaves it behind.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { canConnect } from "../../dev/probe";
import { freePort } from "../../lib/net-tools";
import { tlsMaterial } from "./certs";
import { stopChild } from "../../lib/child-process";

export type TlsMosquittoListener = "mqtts" | "mqttsClientCert" | "wss" | "wssClientCert";

export interface TlsMosquitto {
  ports: Record<TlsMosquittoListener, number>;
  /** `mqtts://localhost:PORT` / `wss://localhost:PORT`: the name the server certificate is for. */
  urls: Record<TlsMosquittoListener, string>;
  /** With `plain: true`: `mqtt://` and `ws://` listeners of the same broker, to set TLS against. */
  plainUrls?: { mqtt: string; ws: string };
  stop(): Promise<void>;
}

export interface TlsMosquittoOptions {
  /** Also listen without TLS (TCP and WebSocket), so the bench compares one broker with itself. */
  plain?: boolean;
}

const startTimeoutMs = 5_000;
const listeners: Array<{ name: TlsMosquittoListener; websockets: boolean; clientCert: boolean }> = [
  { name: "mqtts", websockets: false, clientCert: false },
  { name: "mqttsClientCert", websockets: false, clientCert: true },
  { name: "wss", websockets: true, clientCert: false },
  { name: "wssClientCert", websockets: true, clientCert: true },
];

async function writeConfig(dir: string, ports: Record<TlsMosquittoListener, number>, plainPorts: { mqtt: number; ws: number } | undefined): Promise<string> {
  const material = await tlsMaterial();
  const lines = [
    // Run as whoever started it: as root, Mosquitto would otherwise switch to its own user, which
    // cannot read the stand's certificates in a private temp dir.
    `user ${os.userInfo().username}`,
    "per_listener_settings true",
    "persistence false",
    // Mosquitto's default leaves Nagle on: over TLS its CONNACK then waits ~40 ms for a delayed ACK
    // on every connect (plain TCP does not hit it). Off here, so the bench shows the cost of TLS.
    "set_tcp_nodelay true",
    "log_dest stderr",
    "log_type error",
    "log_type warning",
  ];
  for (const listener of listeners) {
    lines.push("", `listener ${ports[listener.name]} 127.0.0.1`, "allow_anonymous true");
    // Without socket_domain, libwebsockets binds every interface whatever address the listener names.
    if (listener.websockets) lines.push("protocol websockets", "socket_domain ipv4");
    lines.push(`certfile ${material.server.certPath}`, `keyfile ${material.server.keyPath}`);
    if (listener.clientCert) lines.push(`cafile ${material.ca.certPath}`, "require_certificate true");
  }
  if (plainPorts) {
    lines.push("", `listener ${plainPorts.mqtt} 127.0.0.1`, "allow_anonymous true");
    lines.push("", `listener ${plainPorts.ws} 127.0.0.1`, "allow_anonymous true", "protocol websockets", "socket_domain ipv4");
  }
  const configPath = path.join(dir, "mosquitto.conf");
  await writeFile(configPath, `${lines.join("\n")}\n`);
  return configPath;
}

async function waitUntilListening(child: ChildProcess, ports: number[], output: () => string): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  const pending = new Set(ports);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`TLS mosquitto exited with ${child.exitCode ?? child.signalCode}:\n${output()}`);
    }
    for (const port of [...pending]) if (await canConnect("127.0.0.1", port, 300)) pending.delete(port);
    if (pending.size === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`TLS mosquitto did not listen on ${[...pending].join(", ")} within ${startTimeoutMs} ms:\n${output()}`);
}

/** Starts the TLS Mosquitto and resolves once all its listeners accept connections. */
export async function startTlsMosquitto(options: TlsMosquittoOptions = {}): Promise<TlsMosquitto> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "switchyard-mosquitto-tls-"));
  const ports = {} as Record<TlsMosquittoListener, number>;
  for (const listener of listeners) ports[listener.name] = await freePort();
  const plainPorts = options.plain ? { mqtt: await freePort(), ws: await freePort() } : undefined;
  const configPath = await writeConfig(dir, ports, plainPorts);
  const child = spawn("mosquitto", ["-c", configPath], { stdio: ["ignore", "ignore", "pipe"] });
  let output = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    output = (output + chunk).slice(-4_000);
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const cleanUp = async () => {
    process.removeListener("exit", killOnExit);
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", (error) => reject(new Error(`cannot start mosquitto: ${error.message}`)));
    });
    await waitUntilListening(child, [...Object.values(ports), ...Object.values(plainPorts ?? {})], () => output);
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const scheme = (name: TlsMosquittoListener) => (name.startsWith("wss") ? "wss" : "mqtts");
  const urls = Object.fromEntries(listeners.map(({ name }) => [name, `${scheme(name)}://localhost:${ports[name]}`])) as Record<TlsMosquittoListener, string>;
  const plainUrls = plainPorts ? { mqtt: `mqtt://localhost:${plainPorts.mqtt}`, ws: `ws://localhost:${plainPorts.ws}` } : undefined;
  return { ports, urls, ...(plainUrls ? { plainUrls } : {}), stop: cleanUp };
}
