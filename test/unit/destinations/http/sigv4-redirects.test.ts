// aws_sigv4 and redirects (followRedirects: true): a hop on the configured origin is signed
// afresh for its own path; a hop to another origin carries no signature and no session token.
import { describe, expect, it } from "vitest";
import { sendHttp } from "@/lib/destinations/http/send-http";
import { useSink } from "../../../support/sink";
import { makeSendContext } from "./fixtures";

const other = useSink({ host: "127.0.0.2" });
const origin = useSink({
  host: "127.0.0.1",
  respond: (request, response) => {
    if (request.path === "/same") return void response.writeHead(307, { location: "/signed-again" }).end();
    if (request.path === "/away") return void response.writeHead(307, { location: `${other.url}/landing` }).end();
    response.writeHead(200).end();
  },
});

const auth = { type: "aws_sigv4", region: "us-east-1", service: "execute-api", accessKeyId: "AKIDREDIRECT", secretAccessKey: "redirect-secret-key", sessionToken: "redirect-session-token" };
const pathSigned = (authorization: string | undefined) =>
  /^AWS4-HMAC-SHA256 Credential=AKIDREDIRECT\/\d{8}\/us-east-1\/execute-api\/aws4_request, SignedHeaders=[^,]+, Signature=([0-9a-f]{64})$/.exec(authorization ?? "")?.[1];

describe("SigV4 and redirects", () => {
  it("a same-origin hop gets its own signature", async () => {
    const outcome = await sendHttp(makeSendContext({ url: `${origin.url}/same`, followRedirects: true, auth }));
    expect(outcome.result, outcome.error).toBe("succeeded");
    const [first, second] = origin.requests.slice(-2);
    expect(first?.path).toBe("/same");
    expect(second?.path).toBe("/signed-again");
    const signatures = [pathSigned(first?.headers.authorization), pathSigned(second?.headers.authorization)];
    expect(signatures[0]).toBeDefined();
    expect(signatures[1]).toBeDefined();
    expect(signatures[1]).not.toBe(signatures[0]);
    expect(second?.headers["x-amz-security-token"]).toBe("redirect-session-token");
  });

  it("a hop to another origin carries neither the signature nor the session token", async () => {
    const outcome = await sendHttp(makeSendContext({ url: `${origin.url}/away`, followRedirects: true, auth }));
    expect(outcome.result, outcome.error).toBe("succeeded");
    expect(pathSigned(origin.requests.at(-1)?.headers.authorization)).toBeDefined();
    const landed = other.requests.at(-1);
    expect(landed?.path).toBe("/landing");
    expect(landed?.headers.authorization).toBeUndefined();
    expect(landed?.headers["x-amz-security-token"]).toBeUndefined();
  });
});
