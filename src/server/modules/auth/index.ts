export { authRoutes } from "./auth.routes.ts";
export { hashPassword, verifyPassword } from "./passwords.ts";
export { forgetUserSessions, hashToken, resolveSession, type Identity } from "./sessions.ts";
