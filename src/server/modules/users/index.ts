export { usersRoutes } from "./users.routes.ts";
export { findMembersByIds } from "./users.repository.ts";
export { attachUserSummaries, type UserSummary } from "./users.summaries.ts";
