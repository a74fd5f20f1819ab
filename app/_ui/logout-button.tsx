"use client";
// Signs out: the API clears the cookie, then a full navigation drops every cached page.
import { useState } from "react";
import { apiCall } from "@/app/_ui/api-client";

export function LogoutButton() {
  const [busy, setBusy] = useState(false);
  const logOut = async () => {
    setBusy(true);
    await apiCall("POST", "/api/auth/logout", {});
    window.location.assign("/login");
  };
  return (
    <button type="button" className="link-button" onClick={logOut} disabled={busy}>
      Sign out
    </button>
  );
}
