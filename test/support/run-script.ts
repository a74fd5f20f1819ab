// Runs one of the project's scripts the way an operator or Vercel's build would: a separate
// Node process through tsx, with exactly the environment given.
import { execFile } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");

export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runScript(script: string, args: string[], env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<ScriptRun> {
  // Next's types make NODE_ENV required on ProcessEnv; a child may well run without one.
  const given: Record<string, string | undefined> = { PATH: process.env.PATH, HOME: process.env.HOME, ...env };
  const childEnv = given as unknown as NodeJS.ProcessEnv;
  return new Promise((resolve) => {
    execFile(tsx, [script, ...args], { cwd: root, env: childEnv, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
