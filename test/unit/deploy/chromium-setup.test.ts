// A fresh machine passes the browser tests: Chromium is installed from Debian when it is missing
// and the user is root, and otherwise the tests stop with one line saying what to run. The
// machine is played by an injected host, so nothing is uninstalled to test it.
import { describe, expect, it } from "vitest";
import { debianChromiumPath, ensureChromium, type ChromiumHost } from "../../support/chromium";

interface FakeMachine extends ChromiumHost {
  commands: string[];
}

/** `installs`: exit codes of successive apt-get install runs; a 0 puts Chromium in place. */
function machine(options: { present?: boolean; root?: boolean; installs?: number[] }): FakeMachine {
  let present = options.present ?? false;
  const installs = [...(options.installs ?? [0])];
  const commands: string[] = [];
  return {
    commands,
    exists: (path) => present && path === debianChromiumPath,
    isRoot: () => options.root ?? false,
    async run(command, args) {
      commands.push([command, ...args.filter((arg) => !arg.startsWith("-") && !arg.includes("="))].join(" "));
      if (!args.includes("install")) return 0;
      const code = installs.shift() ?? 100;
      if (code === 0) present = true;
      return code;
    },
  };
}

describe("ensureChromium", () => {
  it("uses an installed Chromium without running anything", async () => {
    const host = machine({ present: true, root: true });
    await ensureChromium(debianChromiumPath, host);
    expect(host.commands).toEqual([]);
  });

  it("installs Debian's package when it is missing and the user is root", async () => {
    const host = machine({ root: true });
    await ensureChromium(debianChromiumPath, host);
    expect(host.commands).toEqual(["apt-get install chromium"]);
  });

  it("fetches the package lists first on a machine that has none", async () => {
    const host = machine({ root: true, installs: [100, 0] });
    await ensureChromium(debianChromiumPath, host);
    expect(host.commands).toEqual(["apt-get install chromium", "apt-get update", "apt-get install chromium"]);
  });

  it("stops with one actionable line when the user cannot install it", async () => {
    const host = machine({ root: false });
    const failure = ensureChromium(debianChromiumPath, host);
    await expect(failure).rejects.toThrow(/^Chromium is not installed at \/usr\/bin\/chromium .*run "sudo apt-get install -y chromium"/);
    await expect(failure).rejects.toThrow(/^[^\n]+$/);
    expect(host.commands).toEqual([]);
  });

  it("says so when apt-get cannot install it", async () => {
    const host = machine({ root: true, installs: [100, 100] });
    await expect(ensureChromium(debianChromiumPath, host)).rejects.toThrow(/apt-get failed \(exit 100\)/);
  });

  it("never installs over a CHROMIUM_PATH that does not exist", async () => {
    const host = machine({ root: true });
    await expect(ensureChromium("/opt/chromium/chrome", host)).rejects.toThrow(/CHROMIUM_PATH=\/opt\/chromium\/chrome does not exist/);
    expect(host.commands).toEqual([]);
  });
});
