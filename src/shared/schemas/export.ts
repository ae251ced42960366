/** The lists that can be exported, by their path under /api/v1 (GET …/export, POST …/exports). */
export const exportResources = ["contacts", "companies", "leads", "deals", "activities", "tasks"] as const;
export type ExportResource = (typeof exportResources)[number];
