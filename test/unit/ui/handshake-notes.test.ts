// Every handshake preset the API takes has a note on the callback form, and the method the note
// asks for is the one the API's 422 requires.
import { describe, expect, it } from "vitest";
import { assertHandshakeFitsMethods, handshakeTypes } from "@/lib/callbacks/handshake";
import { handshakeNoteFor, handshakeNotes } from "@/lib/ui/handshake-notes";

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
