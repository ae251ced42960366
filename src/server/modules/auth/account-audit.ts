import type { FastifyRequest } from "fastify";
import type { Transaction } from "../../db/client.ts";
import { writeAccountAudit, type AuditFact } from "../audit/audit.service.ts";

/** Writes the audit entries of an account change, in the change's own transaction. */
export type AccountAudit = (tx: Transaction) => Promise<void>;

/**
 * The audit entry of a change a person makes to their own account (password, two-factor,
 * sessions, name), for the audit log of every workspace they belong to, so each workspace's
 * admins see it. The service making the change calls it in the change's transaction: the change
 * and its entry are written together or not at all.
 */
export function accountAudit(request: FastifyRequest, userId: string, fact: AuditFact): AccountAudit {
  const source = {
    actor: { kind: "account", userId },
    requestId: request.id,
    client: { ipAddress: request.ip, userAgent: request.headers["user-agent"]?.slice(0, 500) ?? null },
  } as const;
  return (tx) => writeAccountAudit(tx, userId, source, fact);
}
