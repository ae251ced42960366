import type { SaveSsoSettings, SsoLinks, SsoSettings } from "../../../shared/schemas/sso.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { recordFact } from "../audit/audit.service.ts";
import type { SecretBox } from "../../lib/secret-box.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError, invalidField, notFound } from "../../lib/errors.ts";
import type { OutboundRules } from "../../lib/outbound/destination.ts";
import { checkIssuer } from "./sso.issuer.ts";
import { issuerDiscoveryProblem } from "./sso.oidc.ts";
import {
  deleteSettings,
  findSettings,
  findWorkspaceSlug,
  insertSettings,
  updateSettings,
  type StoredSettings,
} from "./sso.repository.ts";

/**
 * A workspace's single sign-on settings, for its admins (the `sso` row of permissions.ts). Runs in
 * the workspace's transaction as keel_app, which cannot read the client secret: it is sealed
 * (lib/secret-box) on the way in and never answered.
 */

/** The links of a workspace's sign-in, under `baseUrl` (PUBLIC_URL, or where the request came to). */
export function ssoLinks(baseUrl: string, slug: string): SsoLinks {
  const base = `${baseUrl.replace(/\/+$/, "")}/api/v1/auth/oidc/${slug}`;
  // Through URL: the provider compares the redirect URI normalised (no :443, no :80).
  return { redirectUri: new URL(`${base}/callback`).href, signInUrl: new URL(`${base}/start`).href };
}

const notSetUp = () => new AppError("not-found", "Single sign-on is not set up for this workspace.");

function toSettings(row: StoredSettings, links: SsoLinks): SsoSettings {
  return { ...row, hasClientSecret: true, ...links };
}

async function linksOf(ctx: RequestContext, baseUrl: string): Promise<SsoLinks> {
  const slug = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => findWorkspaceSlug(tx, ctx.workspaceId));
  if (!slug) throw notFound("workspace");
  return ssoLinks(baseUrl, slug);
}

/** The redirect URI and sign-in link, also before anything is set up (the provider needs the URI first). */
export async function getSsoLinks(ctx: RequestContext, baseUrl: string): Promise<SsoLinks> {
  assertAllowed(ctx, "read", "sso");
  return linksOf(ctx, baseUrl);
}

export async function getSsoSettings(ctx: RequestContext, baseUrl: string): Promise<SsoSettings> {
  assertAllowed(ctx, "read", "sso");
  const row = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => findSettings(tx, ctx.workspaceId));
  if (!row) throw notSetUp();
  return toSettings(row, await linksOf(ctx, baseUrl));
}

/**
 * Creates or replaces the settings. The client secret is required the first time; omitted later,
 * the stored one stays. The issuer must not be an internal IP address, nor plain http in
 * production, unless its host is allowed (400 naming `issuer`, sso.issuer.ts). While enabled, its
 * host must also resolve to public addresses only (400) and its discovery document be readable
 * (422 naming `issuer`), so a mistyped issuer shows at once; disabled settings are saved without
 * calling anything.
 */
export async function saveSsoSettings(
  ctx: RequestContext,
  deps: { secretBox: SecretBox; baseUrl: string; outbound: OutboundRules },
  input: SaveSsoSettings,
): Promise<SsoSettings> {
  assertAllowed(ctx, "update", "sso");
  await checkIssuer(input.issuer, deps.outbound, { shouldResolve: input.enabled });
  if (input.enabled) {
    const problem = await issuerDiscoveryProblem(input.issuer, deps.outbound);
    if (problem) throw new AppError("rule-violation", problem, [{ path: "issuer", message: problem }]);
  }
  const { clientSecret, ...settings } = input;
  const sealedSecret = clientSecret === undefined ? null : deps.secretBox.seal(clientSecret);
  const row = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    // The client secret never enters the log: only that it changed.
    const details = { ...settings, clientSecret: clientSecret === undefined ? "unchanged" : "changed" };
    await recordFact(tx, ctx, { action: "settings.sso_updated", resourceType: "sso", details });
    const updated = await updateSettings(tx, ctx.workspaceId, { ...settings, sealedSecret });
    if (updated) return updated;
    if (sealedSecret === null) throw invalidField("clientSecret", "Required when single sign-on is first set up");
    return insertSettings(tx, ctx.workspaceId, { ...settings, sealedSecret });
  });
  return toSettings(row, await linksOf(ctx, deps.baseUrl));
}

/** Removes the settings: nobody signs in through the provider from then on. */
export async function deleteSsoSettings(ctx: RequestContext): Promise<void> {
  assertAllowed(ctx, "delete", "sso");
  const found = await withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const deleted = await deleteSettings(tx, ctx.workspaceId);
    if (deleted) await recordFact(tx, ctx, { action: "settings.sso_deleted", resourceType: "sso" });
    return deleted;
  });
  if (!found) throw notSetUp();
}
