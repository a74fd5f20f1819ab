// The chosen handshake preset's note: where its provider wants the trigger URL, what the secret
// is, and a warning when the callback's methods would refuse the verification request.
import { chosenVariant, type RawForm } from "@/lib/ui/form-values";
import { handshakeNoteFor } from "@/lib/ui/handshake-notes";

export function HandshakeHelp({ form }: { form: RawForm }) {
  const handshake = form.handshake;
  const type = handshake && typeof handshake === "object" && !Array.isArray(handshake) ? chosenVariant(handshake, "type") : "";
  const note = handshakeNoteFor(type);
  if (!note) return null;
  const methods = Array.isArray(form.methods) ? form.methods : [];
  return (
    <div className="hint handshake-help" role="note" aria-label="Handshake setup">
      <p>
        <strong>Where to paste the trigger URL:</strong> {note.paste}
      </p>
      {note.secret ? (
        <p>
          <strong>Secret:</strong> {note.secret}
        </p>
      ) : null}
      {methods.length > 0 && !methods.includes(note.method) ? (
        <p className="warning">
          This handshake arrives as {note.method}: add {note.method} to the methods.
        </p>
      ) : null}
    </div>
  );
}
