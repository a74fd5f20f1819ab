// Throwaway TLS material for the loopback test stand and the bench: a CA, an unrelated CA, and
// server and client certificates that are right, for the wrong host, expired or soon expiring.
// Made once per process with the machine's `openssl` in a temp dir. `openssl ca` (not `x509
// -req`) signs, because only it takes explicit start and end dates, which an expired
// certificate needs.
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface KeyPair {
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
}

export interface CaCertificate {
  cert: string;
  certPath: string;
}

export interface TlsMaterial {
  /** The stand's CA: it issued every server and client certificate below but `foreignClient`. */
  ca: CaCertificate;
  /** A CA that issued nothing the servers use ("wrong CA"). */
  otherCa: CaCertificate;
  /** SAN DNS:localhost, IP:127.0.0.1, IP:::1. */
  server: KeyPair;
  /** SAN DNS:other.example only: a hostname mismatch for localhost. */
  wrongHostServer: KeyPair;
  /** SAN localhost/127.0.0.1, expired. */
  expiredServer: KeyPair;
  /** CN=switchyard-test-client, extendedKeyUsage clientAuth. */
  client: KeyPair;
  /** Same CA; the key PEM is encrypted with `passphrase`. */
  clientEncrypted: KeyPair & { passphrase: string };
  /** Issued by `otherCa`: a server trusting `ca` must refuse it. */
  foreignClient: KeyPair;
  /** Issued by `ca`, expired. */
  expiredClient: KeyPair;
  /** Issued by `ca`, expires in 10 days (inside the 30-day warning). */
  soonClient: KeyPair;
}

const clientPassphrase = "stand-client-passphrase";
const dayMs = 86_400_000;

// `openssl ca` needs a database, a serial file and a policy; nothing else from a system config.
const caConfig = `[ca]
default_ca = stand
[stand]
database = index.txt
serial = serial
new_certs_dir = .
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[anything]
commonName = supplied
`;

const serverExtensions = (names: string) =>
  `basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\nsubjectAltName = ${names}\n`;
const clientExtensions = "basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = clientAuth\n";
const standNames = "DNS:localhost, IP:127.0.0.1, IP:::1";

/** openssl's ASN.1 time: YYYYMMDDHHMMSSZ. */
function asn1Time(at: number): string {
  return new Date(at)
    .toISOString()
    .replace(/[-:T]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await run("openssl", args, { cwd: dir });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? "";
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim() || (error as Error).message}`);
  }
}

/** openssl req's arguments for a new unencrypted P-256 key written to `<name>.key`. */
const newKeyArgs = (name: string): string[] => ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc", "-keyout", `${name}.key`];

async function makeCa(dir: string, name: string): Promise<CaCertificate> {
  // Each CA keeps its own database and serial, named through the config's relative paths.
  await writeFile(path.join(dir, `${name}.cnf`), caConfig.replace("index.txt", `${name}-index.txt`).replace("serial = serial", `serial = ${name}-serial`));
  await writeFile(path.join(dir, `${name}-index.txt`), "");
  await writeFile(path.join(dir, `${name}-serial`), "1000\n");
  await openssl(dir, [
    "req",
    "-x509",
    ...newKeyArgs(name),
    "-out",
    `${name}.pem`,
    "-subj",
    `/CN=Switchyard stand ${name}`,
    "-days",
    "3650",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  const certPath = path.join(dir, `${name}.pem`);
  return { cert: await readFile(certPath, "utf8"), certPath };
}

interface IssueOptions {
  ca: string;
  name: string;
  commonName: string;
  extensions: string;
  notBefore: number;
  notAfter: number;
}

async function issue(dir: string, options: IssueOptions): Promise<KeyPair> {
  const { ca, name } = options;
  await writeFile(path.join(dir, `${name}.ext`), options.extensions);
  await openssl(dir, ["req", "-new", ...newKeyArgs(name), "-out", `${name}.csr`, "-subj", `/CN=${options.commonName}`]);
  await openssl(dir, [
    "ca",
    "-batch",
    "-notext",
    "-config",
    `${ca}.cnf`,
    "-cert",
    `${ca}.pem`,
    "-keyfile",
    `${ca}.key`,
    "-in",
    `${name}.csr`,
    "-out",
    `${name}.pem`,
    "-startdate",
    asn1Time(options.notBefore),
    "-enddate",
    asn1Time(options.notAfter),
    "-extfile",
    `${name}.ext`,
  ]);
  const certPath = path.join(dir, `${name}.pem`);
  const keyPath = path.join(dir, `${name}.key`);
  return { cert: await readFile(certPath, "utf8"), key: await readFile(keyPath, "utf8"), certPath, keyPath };
}

async function encryptKey(dir: string, pair: KeyPair, passphrase: string): Promise<KeyPair & { passphrase: string }> {
  const keyPath = pair.keyPath.replace(/\.key$/, "-encrypted.key");
  await openssl(dir, ["pkey", "-in", pair.keyPath, "-out", keyPath, "-aes256", "-passout", `pass:${passphrase}`]);
  return { ...pair, key: await readFile(keyPath, "utf8"), keyPath, passphrase };
}

const dirPrefix = "switchyard-tls-";
const staleAfterMs = 12 * 3_600_000;

/** Test workers are often killed rather than exited, so their dirs outlive them: sweep old ones. */
async function removeStaleDirs(): Promise<void> {
  const names = (await readdir(os.tmpdir())).filter((name) => name.startsWith(dirPrefix));
  for (const name of names) {
    const dir = path.join(os.tmpdir(), name);
    const modified = await stat(dir).then(
      (info) => info.mtimeMs,
      () => Date.now(),
    );
    if (Date.now() - modified > staleAfterMs) await rm(dir, { recursive: true, force: true });
  }
}

async function generate(): Promise<TlsMaterial> {
  await removeStaleDirs();
  const dir = await mkdtemp(path.join(os.tmpdir(), dirPrefix));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const [ca, otherCa] = [await makeCa(dir, "ca"), await makeCa(dir, "other-ca")];
  const now = Date.now();
  const valid = { notBefore: now - dayMs, notAfter: now + 365 * dayMs };
  const expired = { notBefore: now - 400 * dayMs, notAfter: now - 30 * dayMs };
  const server = (name: string, names: string, dates = valid) =>
    issue(dir, { ca: "ca", name, commonName: names.replace(/^DNS:([^,]+).*$/, "$1"), extensions: serverExtensions(names), ...dates });
  const client = (name: string, commonName: string, dates = valid, issuer = "ca") => issue(dir, { ca: issuer, name, commonName, extensions: clientExtensions, ...dates });
  // One at a time: `openssl ca` rewrites its CA's database and serial files.
  const material: TlsMaterial = {
    ca,
    otherCa,
    server: await server("server", standNames),
    wrongHostServer: await server("wrong-host-server", "DNS:other.example"),
    expiredServer: await server("expired-server", "DNS:localhost, IP:127.0.0.1", expired),
    client: await client("client", "switchyard-test-client"),
    clientEncrypted: await encryptKey(dir, await client("client-encrypted", "switchyard-test-client-encrypted"), clientPassphrase),
    foreignClient: await client("foreign-client", "switchyard-foreign-client", valid, "other-ca"),
    expiredClient: await client("expired-client", "switchyard-expired-client", expired),
    soonClient: await client("soon-client", "switchyard-soon-client", { notBefore: now - dayMs, notAfter: now + 10 * dayMs }),
  };
  return material;
}

let cached: Promise<TlsMaterial> | undefined;

/** The stand's certificates, generated on first use and shared for the rest of the process. */
export function tlsMaterial(): Promise<TlsMaterial> {
  cached ??= generate().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
