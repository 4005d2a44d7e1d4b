import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { can } from "@/lib/auth/policy";
import { currentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { listUsers } from "@/lib/users/accounts";
import { UserRow } from "./user-row";

export const metadata: Metadata = { title: "Users" };

export default async function AdminUsersPage() {
  const actor = await currentActor();
  if (!actor) redirect("/signin?callbackUrl=/admin/users");
  if (!can(actor, "administer")) {
    return (
      <>
        <h1>Users</h1>
        <p role="alert">Only administrators may manage users.</p>
      </>
    );
  }
  const users = await listUsers(getDb());
  return (
    <>
      <h1>Users</h1>
      <p>
        To export the wiki, see <a href="/admin/data">Data</a>.
      </p>
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <UserRow key={u.id} user={{ id: u.id, name: u.name, email: u.email, role: u.role, blocked: u.blockedAt !== null }} self={u.id === actor.id} />
          ))}
        </tbody>
      </table>
    </>
  );
}
