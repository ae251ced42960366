import type { CreateStage } from "./schemas/pipeline.ts";

/** The stage lists a new pipeline can start from; admins rename, reorder and archive from there. */
export const pipelineTemplates = {
  sales: {
    label: "Sales",
    description: "From first contact to a signed deal",
    stages: [
      { name: "Lead", probability: 10, isWon: false, isLost: false },
      { name: "Qualified", probability: 25, isWon: false, isLost: false },
      { name: "Proposal", probability: 50, isWon: false, isLost: false },
      { name: "Negotiation", probability: 75, isWon: false, isLost: false },
      { name: "Closed won", probability: 100, isWon: true, isLost: false },
      { name: "Closed lost", probability: 0, isWon: false, isLost: true },
    ],
  },
  admissions: {
    label: "Admissions",
    description: "From application to enrolment",
    stages: [
      { name: "Applied", probability: 10, isWon: false, isLost: false },
      { name: "Interviewed", probability: 40, isWon: false, isLost: false },
      { name: "Admitted", probability: 75, isWon: false, isLost: false },
      { name: "Enrolled", probability: 100, isWon: true, isLost: false },
      { name: "Withdrawn", probability: 0, isWon: false, isLost: true },
    ],
  },
  renewals: {
    label: "Renewals",
    description: "Existing customers whose contract comes up for renewal",
    stages: [
      { name: "Up for renewal", probability: 60, isWon: false, isLost: false },
      { name: "In discussion", probability: 70, isWon: false, isLost: false },
      { name: "Quote sent", probability: 85, isWon: false, isLost: false },
      { name: "Renewed", probability: 100, isWon: true, isLost: false },
      { name: "Churned", probability: 0, isWon: false, isLost: true },
    ],
  },
} as const satisfies Record<string, { label: string; description: string; stages: readonly Required<CreateStage>[] }>;

export type PipelineTemplate = keyof typeof pipelineTemplates;

/** The template names, in the order a picker offers them. */
export const pipelineTemplateNames = Object.keys(pipelineTemplates) as PipelineTemplate[];

/** A template's stages as the stage list of POST /pipelines. */
export function templateStages(template: PipelineTemplate): Required<CreateStage>[] {
  return pipelineTemplates[template].stages.map((stage) => ({ ...stage }));
}
