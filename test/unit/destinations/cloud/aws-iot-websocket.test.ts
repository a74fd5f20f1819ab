// The AWS IoT WebSocket URL: SigV4 query signing as AWS documents it (docs.aws.amazon.com/IAM/
// latest/UserGuide/reference_sigv-query-string-auth.html), checked by an independent signer
// (the aws4 package), with AWS IoT's rule that a session token is appended after signing
// (docs.aws.amazon.com/iot/latest/developerguide/iam-users-groups-roles.html).
import aws4 from "aws4";
import { describe, expect, it } from "vitest";
import { presignAwsIotUrl } from "@/lib/destinations/cloud/aws-iot-websocket";

const credentials = { region: "eu-west-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const signingDate = new Date("2026-12-07T08:09:10Z");

/** The signature aws4 computes for the same request, date and expiry (without the session token, as AWS IoT requires). */
function independentSignature(url: URL, date: string, expires: string, extraQuery = ""): string {
  const signed = aws4.sign(
    { host: url.host, path: `${url.pathname}?${extraQuery}X-Amz-Date=${date}&X-Amz-Expires=${expires}`, service: "iotdevicegateway", region: credentials.region, signQuery: true },
    { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
  );
  return new URL(signed.path ?? "", "https://x").searchParams.get("X-Amz-Signature") ?? "";
}

describe("presignAwsIotUrl", () => {
  it("adds AWS's query-signing parameters for service iotdevicegateway, signed over the host alone", async () => {
    const url = await presignAwsIotUrl(new URL("wss://a1b2c3-ats.iot.eu-west-1.amazonaws.com/mqtt"), credentials, signingDate);
    expect(url.origin).toBe("wss://a1b2c3-ats.iot.eu-west-1.amazonaws.com");
    expect(url.pathname).toBe("/mqtt");
    const query = url.searchParams;
    expect(query.get("X-Amz-Algorithm")).toBe("AWS4-HMAC-SHA256");
    expect(query.get("X-Amz-Credential")).toBe("AKIAIOSFODNN7EXAMPLE/20261207/eu-west-1/iotdevicegateway/aws4_request");
    expect(query.get("X-Amz-Date")).toBe("20261207T080910Z");
    expect(query.get("X-Amz-SignedHeaders")).toBe("host");
    expect(Number(query.get("X-Amz-Expires"))).toBeGreaterThan(0);
    expect(query.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(query.has("X-Amz-Security-Token")).toBe(false);
    expect(url.search).not.toContain(credentials.secretAccessKey);
    expect(url.search).not.toContain(encodeURIComponent(credentials.secretAccessKey));
  });

  it("carries the signature an independent SigV4 implementation (aws4) computes, also with a non-default port in the host", async () => {
    for (const endpoint of ["wss://a1b2c3-ats.iot.eu-west-1.amazonaws.com/mqtt", "wss://localhost:8443/mqtt"]) {
      const url = await presignAwsIotUrl(new URL(endpoint), credentials, signingDate);
      const query = url.searchParams;
      expect(query.get("X-Amz-Signature")).toBe(independentSignature(url, query.get("X-Amz-Date") ?? "", query.get("X-Amz-Expires") ?? ""));
    }
  });

  it("signs a query the endpoint URL already carries along with its own parameters", async () => {
    const url = await presignAwsIotUrl(new URL("wss://a1b2c3-ats.iot.eu-west-1.amazonaws.com/mqtt?client=sensor%201"), credentials, signingDate);
    const query = url.searchParams;
    expect(query.get("client")).toBe("sensor 1");
    expect(query.get("X-Amz-Signature")).toBe(independentSignature(url, query.get("X-Amz-Date") ?? "", query.get("X-Amz-Expires") ?? "", "client=sensor%201&"));
  });

  it("appends X-Amz-Security-Token after signing: last in the query, and the signature is the one without it", async () => {
    const sessionToken = "IQoJb3JpZ2luX2VjEXAMPLE/+token==";
    const withToken = await presignAwsIotUrl(new URL("wss://a1b2c3-ats.iot.eu-west-1.amazonaws.com/mqtt"), { ...credentials, sessionToken }, signingDate);
    const without = await presignAwsIotUrl(new URL("wss://a1b2c3-ats.iot.eu-west-1.amazonaws.com/mqtt"), credentials, signingDate);
    expect([...withToken.searchParams.keys()].at(-1)).toBe("X-Amz-Security-Token");
    expect(withToken.searchParams.get("X-Amz-Security-Token")).toBe(sessionToken);
    expect(withToken.searchParams.get("X-Amz-Signature")).toBe(without.searchParams.get("X-Amz-Signature"));
    // Signed the way other services want it (token inside the canonical query), it would differ.
    const tokenSigned = aws4.sign(
      {
        host: withToken.host,
        path: `/mqtt?X-Amz-Date=20261207T080910Z&X-Amz-Expires=${withToken.searchParams.get("X-Amz-Expires")}`,
        service: "iotdevicegateway",
        region: "eu-west-1",
        signQuery: true,
      },
      { ...credentials, sessionToken },
    );
    expect(new URL(tokenSigned.path ?? "", "https://x").searchParams.get("X-Amz-Signature")).not.toBe(withToken.searchParams.get("X-Amz-Signature"));
  });

  it("signs afresh: another time gives another date and signature", async () => {
    const first = await presignAwsIotUrl(new URL("wss://a1b2c3-ats.iot.eu-west-1.amazonaws.com/mqtt"), credentials, signingDate);
    const later = await presignAwsIotUrl(new URL("wss://a1b2c3-ats.iot.eu-west-1.amazonaws.com/mqtt"), credentials, new Date(signingDate.getTime() + 1_000));
    expect(later.searchParams.get("X-Amz-Date")).toBe("20261207T080911Z");
    expect(later.searchParams.get("X-Amz-Signature")).not.toBe(first.searchParams.get("X-Amz-Signature"));
  });
});
