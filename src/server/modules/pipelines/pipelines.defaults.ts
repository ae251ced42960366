/** The stages every new workspace starts with; admins rename or replace them. */
export const defaultStages = [
  { name: "Lead", probability: 10, isWon: false, isLost: false },
  { name: "Qualified", probability: 25, isWon: false, isLost: false },
  { name: "Proposal", probability: 50, isWon: false, isLost: false },
  { name: "Negotiation", probability: 75, isWon: false, isLost: false },
  { name: "Closed won", probability: 100, isWon: true, isLost: false },
  { name: "Closed lost", probability: 0, isWon: false, isLost: true },
] as const;

/** The default "Sales" pipeline of a new workspace, as a create input of the pipelines write path. */
export const defaultPipeline = {
  name: "Sales",
  isDefault: true,
  stages: defaultStages.map((stage) => ({ ...stage })),
};
