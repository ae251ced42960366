export { workspacesRoutes } from "./workspaces.routes.ts";
export { addMember, createWorkspace, type Workspace } from "./workspaces.service.ts";
export { readWorkspaceSettings } from "./workspaces.settings.ts";
