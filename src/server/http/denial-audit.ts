import type { FastifyRequest } from "fastify";
import { withWorkspaceTransaction } from "../db/transaction.ts";
import type { AppError } from "../lib/errors.ts";
import { writeAudit } from "../modules/audit/audit.service.ts";
import { contextOf } from "./authentication.ts";

/**
 * Writes a refused request (403) to the audit log of the workspace it was aimed at: who, which
 * route, and why. Only for callers that are known (a session or a key) and inside a workspace; a
 * refusal before that (a cross-site write, no workspace yet) has nobody to attribute it to. Its own
 * transaction: the refused work was rolled back. Never changes the answer: a failure is logged.
 */
export async function auditDenial(request: FastifyRequest, refusal: AppError): Promise<void> {
  if (!request.apiKey && !request.identity) return;
  try {
    const ctx = contextOf(request);
    await withWorkspaceTransaction(request.server.db, ctx.workspaceId, (tx) =>
      writeAudit(tx, ctx, {
        action: "access.denied",
        details: { method: request.method, route: request.routeOptions.url ?? null, reason: refusal.message },
      }),
    );
  } catch (error) {
    request.log.warn({ err: error }, "the refused request could not be audited");
  }
}
