// The session cookie name, alone so that proxy.ts can use it without loading the database layer.
export const sessionCookieName = "sy_session";
