// GET /secrets — secret names and update times; create, replace, delete (values are write-only)
import { requirePageOperator } from "@/lib/auth/require-page-operator";
import { getDb } from "@/lib/db";
import { listSecrets } from "@/lib/secrets/manage-secrets";
import { formatAge, formatTime } from "@/lib/ui/format";
import { DeleteSecret, SecretForm } from "@/app/(console)/secrets/secret-forms";

export const metadata = { title: "Secrets" };

export default async function SecretsPage() {
  const operator = await requirePageOperator("/secrets");
  const secrets = await listSecrets(getDb());
  return (
    <>
      <h1>Secrets</h1>
      <p className="muted">
        Templates read secrets as <code>{"{secret:NAME}"}</code>. Values are encrypted at rest and never shown again after saving; replace one by saving the same name.
      </p>
      <section className="panel">
        {secrets.length === 0 ? (
          <p className="muted">No secrets yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Updated</th>
                  {operator.canWrite ? <th /> : null}
                </tr>
              </thead>
              <tbody>
                {secrets.map((secret) => (
                  <tr key={secret.name}>
                    <td className="mono">{secret.name}</td>
                    <td title={formatTime(secret.updatedAt)}>{formatAge(secret.updatedAt)}</td>
                    {operator.canWrite ? (
                      <td className="num">
                        <DeleteSecret name={secret.name} />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {operator.canWrite ? (
        <section className="panel">
          <h2>Add or replace a secret</h2>
          <SecretForm existing={secrets.map((secret) => secret.name)} />
        </section>
      ) : null}
    </>
  );
}
