// Runs a transform's source in QuickJS compiled to WebAssembly: a fresh runtime and context per
// run (nothing survives between deliveries), no host functions (so no require, process, fetch or
// any other I/O), an interrupt deadline, a memory limit and a stack limit. The WASM module is
// loaded once per instance and reused; a run that ends in a fatal engine error (out of memory,
// interrupted, stack overflow) retires the module instead of freeing the runtime, because
// QuickJS 2025-09 can abort while freeing a runtime after such an error (quickjs-emscripten
// issues #257 and #60); the next run loads a fresh module.
import { newQuickJSWASMModuleFromVariant, type QuickJSContext, type QuickJSHandle, type QuickJSWASMModule } from "quickjs-emscripten-core";
import releaseSyncVariant from "@jitl/quickjs-wasmfile-release-sync";

export interface SandboxLimits {
  timeoutMs: number;
  memoryBytes: number;
  stackBytes: number;
}

export const defaultSandboxLimits: SandboxLimits = { timeoutMs: 50, memoryBytes: 16 * 1024 * 1024, stackBytes: 256 * 1024 };

export interface SandboxRun {
  source: string;
  /** The argument of transform(event), as JSON text. */
  inputJson: string;
  /** Date.now() and new Date() inside the sandbox. */
  nowMs: number;
  /** Seeds Math.random, so a run is repeatable for the same event. */
  seed: number;
}

/** `json`: what transform returned, as JSON text (undefined when it returned undefined or a function). */
export type SandboxResult = { ok: true; json: string | undefined } | { ok: false; error: SandboxError };

export interface SandboxError {
  stage: "compile" | "run";
  name: string;
  message: string;
  /** 1-based line in the transform's source, when the engine knows it. */
  line?: number;
  kind: "thrown" | "timeout" | "memory" | "stack";
}

const sourceFileName = "transform.js";

let loading: Promise<QuickJSWASMModule> | undefined;

// The engine's first run is slow while V8 tiers up the WASM code; that belongs to the cold start,
// not to the first transform's 50 ms.
async function loadWarmModule(): Promise<QuickJSWASMModule> {
  const module = await newQuickJSWASMModuleFromVariant(releaseSyncVariant);
  const context = module.newContext();
  context.evalCode("JSON.stringify({ warm: [1, 2, 3].map((n) => n * 2) })").dispose();
  context.dispose();
  return module;
}

/** The module, loaded (and warmed) on first use and again after a run retired it. */
export function loadSandboxModule(): Promise<QuickJSWASMModule> {
  loading ??= loadWarmModule().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

function retireModule(module: QuickJSWASMModule): void {
  void loading?.then((current) => {
    if (current === module) loading = undefined;
  });
}

// A fixed clock and a seeded generator (mulberry32): the same event gives the same output.
const prelude = `(function (now, seed) {
  const RealDate = Date;
  function FixedDate(...args) {
    if (!new.target) return new RealDate(now).toString();
    return args.length === 0 ? new RealDate(now) : new RealDate(...args);
  }
  FixedDate.prototype = RealDate.prototype;
  FixedDate.now = () => now;
  FixedDate.parse = RealDate.parse;
  FixedDate.UTC = RealDate.UTC;
  Object.defineProperty(RealDate.prototype, "constructor", { value: FixedDate, writable: true, configurable: true });
  globalThis.Date = FixedDate;
  let state = seed >>> 0;
  Math.random = function random() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})`;

// Captured before the transform's source runs, so a source that replaces JSON cannot confuse the host.
const callerSource = `(function (parse, stringify) {
  return function (input) {
    if (typeof transform !== "function") throw new TypeError("the source does not define function transform(event)");
    return stringify(transform(parse(input)));
  };
})(JSON.parse, JSON.stringify)`;

const lineOfStack = new RegExp(`${sourceFileName.replace(".", "\\.")}:(\\d+)`);

function errorOf(context: QuickJSContext, handle: QuickJSHandle, stage: SandboxError["stage"]): SandboxError {
  const dumped: unknown = context.dump(handle);
  handle.dispose();
  if (typeof dumped !== "object" || dumped === null) return { stage, name: "Error", message: `a non-Error value was thrown: ${String(dumped)}`, kind: "thrown" };
  const value = dumped as { name?: unknown; message?: unknown; stack?: unknown; lineNumber?: unknown };
  const name = typeof value.name === "string" ? value.name : "Error";
  const message = typeof value.message === "string" ? value.message : JSON.stringify(dumped);
  const stackLine = typeof value.stack === "string" ? lineOfStack.exec(value.stack)?.[1] : undefined;
  const line = typeof value.lineNumber === "number" ? value.lineNumber : stackLine ? Number(stackLine) : undefined;
  const kind =
    name !== "InternalError"
      ? name === "RangeError" && /stack/i.test(message)
        ? "stack"
        : "thrown"
      : message === "interrupted"
        ? "timeout"
        : message.includes("memory")
          ? "memory"
          : message.includes("stack")
            ? "stack"
            : "thrown";
  return { stage, name, message, kind, ...(line === undefined ? {} : { line }) };
}

function callIn(context: QuickJSContext, code: string, fileName: string, args: QuickJSHandle[]): { value: QuickJSHandle } | { error: QuickJSHandle } {
  const fn = context.evalCode(code, fileName);
  if (fn.error) return { error: fn.error };
  try {
    const result = context.callFunction(fn.value, context.undefined, ...args);
    return result.error ? { error: result.error } : { value: result.value };
  } finally {
    fn.value.dispose();
  }
}

function runIn(context: QuickJSContext, run: SandboxRun, startClock: () => void): SandboxResult {
  const args = [context.newNumber(run.nowMs), context.newNumber(run.seed)];
  const setup = callIn(context, prelude, "prelude.js", args);
  for (const arg of args) arg.dispose();
  if ("error" in setup) return { ok: false, error: errorOf(context, setup.error, "compile") };
  setup.value.dispose();
  const caller = context.evalCode(callerSource, "caller.js");
  if (caller.error) return { ok: false, error: errorOf(context, caller.error, "compile") };
  try {
    startClock();
    const compiled = context.evalCode(run.source, sourceFileName);
    if (compiled.error) return { ok: false, error: errorOf(context, compiled.error, "compile") };
    compiled.value.dispose();
    const input = context.newString(run.inputJson);
    const result = context.callFunction(caller.value, context.undefined, input);
    input.dispose();
    if (result.error) return { ok: false, error: errorOf(context, result.error, "run") };
    const json = context.typeof(result.value) === "string" ? context.getString(result.value) : undefined;
    result.value.dispose();
    return { ok: true, json };
  } finally {
    caller.value.dispose();
  }
}

// The engine polls the interrupt handler between bytecodes, so one long native call (a huge
// String.prototype.repeat, say) can run past the deadline before it is seen; such a run is still
// a timeout, whatever it returned.
function overran(result: SandboxResult, started: number, timeoutMs: number): SandboxResult {
  if (started === 0 || performance.now() - started <= timeoutMs * 2) return result;
  if (!result.ok && result.error.kind !== "thrown") return result;
  return { ok: false, error: { stage: "run", name: "InternalError", message: "interrupted", kind: "timeout" } };
}

/** Runs `transform(JSON.parse(inputJson))` once in a fresh sandbox; never throws for what the source does. */
export async function runInSandbox(run: SandboxRun, limits: SandboxLimits = defaultSandboxLimits): Promise<SandboxResult> {
  const module = await loadSandboxModule();
  let fatal = false;
  try {
    const runtime = module.newRuntime();
    runtime.setMemoryLimit(limits.memoryBytes);
    runtime.setMaxStackSize(limits.stackBytes);
    let deadline = Number.POSITIVE_INFINITY;
    runtime.setInterruptHandler(() => Date.now() > deadline);
    const context = runtime.newContext();
    let started = 0;
    const ran = runIn(context, run, () => {
      started = performance.now();
      deadline = Date.now() + limits.timeoutMs;
    });
    const result = overran(ran, started, limits.timeoutMs);
    fatal = !result.ok && result.error.kind !== "thrown";
    if (!fatal) {
      context.dispose();
      runtime.dispose();
    }
    return result;
  } catch (error) {
    // The engine itself failed (a WASM abort): report it as this run's error, start over next time.
    fatal = true;
    return { ok: false, error: { stage: "run", name: "InternalError", message: `the sandbox failed: ${error instanceof Error ? error.message : String(error)}`, kind: "thrown" } };
  } finally {
    if (fatal) retireModule(module);
  }
}
