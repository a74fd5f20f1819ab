import { describe, expect, it } from "vitest";
import { awsSigner } from "@/lib/destinations/cloud/aws-sigv4";

describe("awsSigner", () => {
  it("signs a request with the credential scope of its region and service", async () => {
    const signer = await awsSigner({ region: "eu-west-1", service: "iotdevicegateway", accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" });
    const signed = await signer.sign(
      {
        method: "POST",
        protocol: "https:",
        hostname: "example.iot.eu-west-1.amazonaws.com",
        path: "/topics/a",
        query: {},
        headers: { host: "example.iot.eu-west-1.amazonaws.com" },
        body: "{}",
      },
      { signingDate: new Date("2026-01-02T03:04:05Z") },
    );
    expect(signed.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260102\/eu-west-1\/iotdevicegateway\/aws4_request, SignedHeaders=host;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect(signed.headers["x-amz-date"]).toBe("20260102T030405Z");
  });

  it("adds the session token of temporary credentials", async () => {
    const signer = await awsSigner({ region: "us-east-1", service: "lambda", accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "token-1" });
    const signed = await signer.sign({ method: "GET", protocol: "https:", hostname: "h", path: "/", query: {}, headers: { host: "h" } });
    expect(signed.headers["x-amz-security-token"]).toBe("token-1");
  });
});
