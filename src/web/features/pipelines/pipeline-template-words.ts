import { templateStages, type PipelineTemplate } from "../../../shared/pipeline-templates.ts";
import type { CreateStage } from "../../../shared/schemas/pipeline.ts";
import { t } from "../../i18n/i18n.ts";

type TemplateWords = { label: string; description: string; stages: Record<string, string> };

/**
 * A template's words in the interface's language of the moment: its label, its description and
 * its stages' names (by their English name in src/shared/pipeline-templates.ts).
 */
export function templateWords(template: PipelineTemplate): TemplateWords {
  switch (template) {
    case "sales":
      return {
        label: t("pipelines.templates.sales.label"),
        description: t("pipelines.templates.sales.description"),
        stages: {
          Lead: t("pipelines.templates.sales.lead"),
          Qualified: t("pipelines.templates.sales.qualified"),
          Proposal: t("pipelines.templates.sales.proposal"),
          Negotiation: t("pipelines.templates.sales.negotiation"),
          "Closed won": t("pipelines.templates.sales.closedWon"),
          "Closed lost": t("pipelines.templates.sales.closedLost"),
        },
      };
    case "admissions":
      return {
        label: t("pipelines.templates.admissions.label"),
        description: t("pipelines.templates.admissions.description"),
        stages: {
          Applied: t("pipelines.templates.admissions.applied"),
          Interviewed: t("pipelines.templates.admissions.interviewed"),
          Admitted: t("pipelines.templates.admissions.admitted"),
          Enrolled: t("pipelines.templates.admissions.enrolled"),
          Withdrawn: t("pipelines.templates.admissions.withdrawn"),
        },
      };
    case "renewals":
      return {
        label: t("pipelines.templates.renewals.label"),
        description: t("pipelines.templates.renewals.description"),
        stages: {
          "Up for renewal": t("pipelines.templates.renewals.upForRenewal"),
          "In discussion": t("pipelines.templates.renewals.inDiscussion"),
          "Quote sent": t("pipelines.templates.renewals.quoteSent"),
          Renewed: t("pipelines.templates.renewals.renewed"),
          Churned: t("pipelines.templates.renewals.churned"),
        },
      };
  }
}

/**
 * A template's stages as the stage list of POST /pipelines, named in the interface's language of
 * the moment: once created they are the pipeline's data, kept whatever language reads them later.
 */
export function translatedTemplateStages(template: PipelineTemplate): Required<CreateStage>[] {
  const names = templateWords(template).stages;
  return templateStages(template).map((stage) => ({ ...stage, name: names[stage.name] ?? stage.name }));
}
