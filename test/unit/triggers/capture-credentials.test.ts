// The captured request masks every header the shared credential list names (the list redirects
// and recorded attempts use too), so a template can never forward one a sender sent.
import { describe, expect, it } from "vitest";
import { credentialHeaderNames } from "@/lib/secrets/credential-names";
import { captureHeaders } from "@/lib/triggers/capture-request";

describe("capturing credential headers", () => {
  it.each(credentialHeaderNames)("masks %s", (name) => {
    const captured = captureHeaders(new Headers({ [name]: "sender-credential", "x-github-event": "push" }));
    expect(captured).toEqual({ [name]: "***", "x-github-event": "push" });
  });
});
