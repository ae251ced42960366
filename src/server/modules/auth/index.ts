export { accountRoutes } from "./account.routes.ts";
export { authRoutes } from "./auth.routes.ts";
export { assertAcceptablePassword, hashPassword, verifyPassword } from "./passwords.ts";
export { forgetUserSessions, hashToken, resolveSession, sessionRoleIn, type Identity } from "./sessions.ts";
export { sessionsRoutes } from "./sessions.routes.ts";
export { signInsRoutes } from "./sign-ins.routes.ts";
export { twoFactorRoutes } from "./two-factor.routes.ts";
