// Vitest hooks for the TLS stand (scripts/brokers/tls): a file's TLS Mosquitto, TLS front or HTTPS
// sink starts in beforeAll and stops in afterAll. Each returns a getter, called inside tests, and
// `tlsMaterial()` gives the certificates (generated once per process).
import { afterAll, beforeAll } from "vitest";
import { startHttpsSink, type HttpsSink, type HttpsSinkOptions } from "@/scripts/brokers/tls/https-sink";
import { startTlsFront, type TlsFront, type TlsFrontOptions } from "@/scripts/brokers/tls/tls-front";
import { startTlsMosquitto, type TlsMosquitto } from "@/scripts/brokers/tls/mosquitto-tls";

export { tlsMaterial, type KeyPair, type TlsMaterial } from "@/scripts/brokers/tls/certs";

function useStarted<T extends { stop(): Promise<void> }>(what: string, start: () => Promise<T>): () => T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  });
  afterAll(async () => {
    await started?.stop();
    started = undefined;
  });
  return () => {
    if (!started) throw new Error(`the ${what} starts in beforeAll`);
    return started;
  };
}

/** The file's TLS Mosquitto (mqtts and wss, with and without a required client certificate). */
export function useTlsMosquitto(): () => TlsMosquitto {
  return useStarted("TLS Mosquitto", startTlsMosquitto);
}

/** A TLS front for the file; options may be a function, to read the stand's certificates first. */
export function useTlsFront(options: TlsFrontOptions | (() => Promise<TlsFrontOptions>)): () => TlsFront {
  return useStarted("TLS front", async () => startTlsFront(typeof options === "function" ? await options() : options));
}

/** An HTTPS sink for the file; options may be a function, to read the stand's certificates first. */
export function useHttpsSink(options: HttpsSinkOptions | (() => Promise<HttpsSinkOptions>)): () => HttpsSink {
  return useStarted("HTTPS sink", async () => startHttpsSink(typeof options === "function" ? await options() : options));
}
