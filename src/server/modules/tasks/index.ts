export { tasksRoutes } from "./tasks.routes.ts";
export { completeTask, reopenTask } from "./tasks.lifecycle.ts";
export { tasksListSpec } from "./tasks.repository.ts";
export { taskDependencies, tasks } from "./tasks.table.ts";
