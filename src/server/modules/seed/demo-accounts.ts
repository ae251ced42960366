/** The demo accounts of demo mode, also listed on the sign-in page. */
export const demoPassword = "demo-password-1";
export const demoAccounts = [
  { email: "admin@demo.keel.test", name: "Ada Admin", role: "admin" },
  { email: "manager@demo.keel.test", name: "Max Manager", role: "manager" },
  { email: "agent@demo.keel.test", name: "Alex Agent", role: "agent" },
  { email: "viewer@demo.keel.test", name: "Vera Viewer", role: "viewer" },
] as const;
