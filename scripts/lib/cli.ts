// What every runnable script shares: knowing it was started directly, reading a port knob,
// and closing cleanly on Ctrl-C or SIGTERM.
import { pathToFileURL } from "node:url";

/** True when the module at `moduleUrl` is the script node was started with (not an import). */
export function isMainModule(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
}

/** A port from an environment knob; `name` is named in the error when it is not one. */
export function parsePort(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${name}="${value}" is not a port number`);
  return port;
}

/** Runs `close` on SIGINT/SIGTERM, then exits (1 if closing failed). */
export function closeOnSignals(close: () => Promise<void>, onSignal?: (signal: NodeJS.Signals) => void): void {
  const stop = (signal: NodeJS.Signals): void => {
    onSignal?.(signal);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/** Runs a script's main, reporting a failure and exiting non-zero. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
