export { usersRoutes } from "./users.routes.ts";
export { findMembersByIds } from "./users.repository.ts";
