// GET /operators — admins manage who may sign in (admins change config, viewers only read); everyone changes their own password
import { requirePageOperator } from "@/lib/auth/require-page-operator";
import { listOperators } from "@/lib/auth/manage-operators";
import { getDb } from "@/lib/db";
import { formatAge } from "@/lib/ui/format";
import { ChangePasswordForm, DeleteOperator, OperatorForm, ResetPassword } from "@/app/(console)/operators/operator-forms";

export const metadata = { title: "Operators" };

export default async function OperatorsPage() {
  const operator = await requirePageOperator("/operators");
  if (!operator.canWrite) {
    return (
      <>
        <section className="panel empty">
          <h1>Operators</h1>
          <p>Only admins can see and manage operators.</p>
        </section>
        <MyPassword />
      </>
    );
  }
  const operators = await listOperators(getDb());
  return (
    <>
      <h1>Operators</h1>
      <p className="muted">
        Admins may change configuration; viewers can read everything except secret values. More accounts: <code>npm run operator:create</code>.
      </p>
      <section className="panel">
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Username</th>
                <th>Role</th>
                <th>Created</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {operators.map((item) => (
                <tr key={item.id}>
                  <td>{item.username}</td>
                  <td>{item.role}</td>
                  <td>{formatAge(item.createdAt)}</td>
                  <td className="num">
                    {item.id === operator.id ? (
                      <span className="muted">you</span>
                    ) : (
                      <>
                        <ResetPassword id={item.id} username={item.username} /> <DeleteOperator id={item.id} username={item.username} />
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel">
        <h2>Add an operator</h2>
        <OperatorForm />
      </section>
      <MyPassword />
    </>
  );
}

function MyPassword() {
  return (
    <section className="panel">
      <h2>Change my password</h2>
      <ChangePasswordForm />
    </section>
  );
}
