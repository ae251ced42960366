import type { FastifyRequest } from "fastify";
import { writeAccountAudit, type AuditFact } from "../audit/audit.service.ts";

/**
 * Writes a change a person made to their own account (password, two-factor, sessions, name) to
 * the audit log of every workspace they belong to, so each workspace's admins see it. These
 * changes are about the person, not a workspace, so the entry follows the change rather than
 * sharing its transaction; the attempt itself is in the sign-in history or the mail sent.
 */
export async function auditAccountChange(request: FastifyRequest, userId: string, fact: AuditFact): Promise<void> {
  await writeAccountAudit(
    request.server.db,
    userId,
    {
      actor: { kind: "account", userId },
      requestId: request.id,
      client: { ipAddress: request.ip, userAgent: request.headers["user-agent"]?.slice(0, 500) ?? null },
    },
    fact,
  );
}
