export { seedDemoIfEmpty } from "./demo.seed.ts";
export { seedLargeWorkspace } from "./large.seed.ts";
export { demoAccounts, demoPassword } from "./demo-accounts.ts";
