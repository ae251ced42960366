export { usersRoutes } from "./users.routes.ts";
export { findMembersByIds, membersByName } from "./users.repository.ts";
export { attachUserSummaries, type UserSummary } from "./users.summaries.ts";
