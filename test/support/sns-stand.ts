// A local stand-in for sns.us-west-2.amazonaws.com: an HTTPS server (certificate for that host,
// issued by a throwaway CA made with openssl) that serves a signing certificate and answers
// SubscribeURL visits, plus an RSA key that signs messages the way SNS documents. The app is
// pointed at it with routeSnsForTest (test-only; refused in production).
import { execFileSync } from "node:child_process";
import { sign } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

export const snsHost = "sns.us-west-2.amazonaws.com";
export const signingCertPath = "/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem";

export interface SnsStand {
  port: number;
  ca: string;
  /** Paths with query of every request the stand received. */
  requests: string[];
  /** Signs `message` as SNS does for its SignatureVersion ("1": SHA1withRSA, "2": SHA256withRSA). */
  sign(message: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}

function makeMaterial(dir: string): { ca: string; serverCert: string; serverKey: string; signingCert: string; signingKey: string } {
  openssl(dir, [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-noenc",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-subj",
    "/CN=SNS stand CA",
    "-days",
    "2",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign",
  ]);
  openssl(dir, ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc", "-keyout", "server.key", "-out", "server.csr", "-subj", `/CN=${snsHost}`]);
  writeFileSync(path.join(dir, "server.ext"), `basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:${snsHost}\n`);
  openssl(dir, ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext"]);
  // SNS signs with RSA; the certificate it publishes carries the public key.
  openssl(dir, ["req", "-x509", "-newkey", "rsa:2048", "-noenc", "-keyout", "signing.key", "-out", "signing.pem", "-subj", "/CN=sns.amazonaws.com", "-days", "2"]);
  const read = (name: string) => readFileSync(path.join(dir, name), "utf8");
  return { ca: read("ca.pem"), serverCert: read("server.pem"), serverKey: read("server.key"), signingCert: read("signing.pem"), signingKey: read("signing.key") };
}

// The documented string to sign, written out here independently of lib/triggers/handshakes.
const notificationFields = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"];
const confirmationFields = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];

function stringToSign(message: Record<string, string>): string {
  const fields = message.Type === "Notification" ? notificationFields : confirmationFields;
  return fields
    .filter((name) => message[name] !== undefined)
    .map((name) => `${name}\n${message[name]}\n`)
    .join("");
}

export async function startSnsStand(): Promise<SnsStand> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-sns-"));
  const material = makeMaterial(dir);
  rmSync(dir, { recursive: true, force: true });
  const requests: string[] = [];
  const server = https.createServer({ cert: material.serverCert, key: material.serverKey }, (request, response) => {
    requests.push(request.url ?? "");
    if (request.url === signingCertPath) {
      response.writeHead(200, { "content-type": "application/x-pem-file" }).end(material.signingCert);
    } else if (request.url?.startsWith("/?Action=ConfirmSubscription")) {
      response
        .writeHead(200, { "content-type": "text/xml" })
        .end(
          "<ConfirmSubscriptionResponse><ConfirmSubscriptionResult><SubscriptionArn>arn:aws:sns:us-west-2:123456789012:MyTopic:1</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>",
        );
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    ca: material.ca,
    requests,
    sign(message) {
      const algorithm = message.SignatureVersion === "1" ? "sha1" : "sha256";
      return { ...message, Signature: sign(algorithm, Buffer.from(stringToSign(message)), material.signingKey).toString("base64") };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
