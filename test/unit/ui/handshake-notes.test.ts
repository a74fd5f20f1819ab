// Every handshake preset the API takes has a note on the callback form, the method the note asks
// for is the one the API's 422 requires, and the form sends a preset or an acknowledgement only
// when one is filled in.
import { describe, expect, it } from "vitest";
import { assertHandshakeFitsMethods, handshakeTypes } from "@/lib/callbacks/handshake";
import { handshakeNoteFor, handshakeNotes } from "@/lib/ui/handshake-notes";
import { callbackFormFields } from "@/lib/ui/form-specs";
import { readFormPayload, toRawForm } from "@/lib/ui/form-values";

describe("handshake notes", () => {
  it("cover exactly the API's presets", () => {
    expect(Object.keys(handshakeNotes).sort()).toEqual([...handshakeTypes].sort());
  });

  it.each(handshakeTypes)("%s: the note's method is the one the API requires", (type) => {
    const note = handshakeNoteFor(type);
    expect(note?.paste).toMatch(/\S/);
    expect(() => assertHandshakeFitsMethods(type, [note?.method ?? ""])).not.toThrow();
    const other = note?.method === "GET" ? "POST" : "GET";
    expect(() => assertHandshakeFitsMethods(type, [other])).toThrow(`add ${note?.method} to methods`);
  });

  it("names the secret exactly for the presets that take one", () => {
    const withSecret = handshakeTypes.filter((type) => handshakeNotes[type].secret !== undefined);
    expect(withSecret.sort()).toEqual(["meta", "x", "zoom"]);
  });

  it("has no note for an unknown or empty choice", () => {
    expect(handshakeNoteFor("")).toBeUndefined();
    expect(handshakeNoteFor("toString")).toBeUndefined();
  });
});

describe("the callback form's payload", () => {
  const fields = callbackFormFields("create");

  it("leaves an untouched acknowledgement and handshake out of a create", () => {
    const payload = readFormPayload(fields, toRawForm(fields, { name: "plain" }), "create");
    expect(payload.ok && payload.body).toEqual(expect.objectContaining({ name: "plain" }));
    expect(payload.ok && Object.keys(payload.body)).not.toContain("response");
    expect(payload.ok && payload.body.handshake).toBeNull();
  });

  it("clears an acknowledgement emptied in the edit form (null), and keeps a filled one", () => {
    const edit = callbackFormFields("edit");
    const emptied = readFormPayload(edit, toRawForm(edit, { name: "hooked", response: null }), "edit");
    expect(emptied.ok && emptied.body.response).toBeNull();
    const kept = readFormPayload(edit, toRawForm(edit, { name: "hooked", response: { status: 204 } }), "edit");
    expect(kept.ok && kept.body.response).toEqual({ status: 204, headers: {} });
  });

  it("sends the chosen preset with its secret, and an acknowledgement with headers", () => {
    const raw = toRawForm(fields, { name: "hooked", handshake: { type: "meta", secret: "tok" }, response: { status: 200, headers: { "X-A": "1" }, body: "ok" } });
    const payload = readFormPayload(fields, raw, "create");
    expect(payload.ok && payload.body.handshake).toEqual({ type: "meta", secret: "tok" });
    expect(payload.ok && payload.body.response).toEqual({ status: 200, headers: { "X-A": "1" }, body: "ok" });
  });
});
