import { sql, type SQL } from "drizzle-orm";
import { testDatabase, type Client } from "../../test/create-test-app.ts";

/** Test data for the leads suites, made through the API like a client would (raw SQL only where no API exists yet). */

/** A parsed JSON object of an answer. */
export type Json = Record<string, unknown>;

/** A string no other test uses. */
export const unique = () => `${Date.now()}${Math.random().toString(36).slice(2, 8)}`;

/** The sorted field paths of a problem answer. */
export const paths = (response: { json: () => { errors?: { path: string }[] } }) =>
  (response.json().errors ?? []).map((e) => e.path).sort();

/** Creates a lead through the API (status `new` unless overridden) and answers it. */
export async function makeLead(client: Client, overrides: Json = {}) {
  const response = await client.post("/api/v1/leads", { title: `Lead ${unique()}`, ...overrides });
  if (response.statusCode !== 201) throw new Error(`lead not created: ${response.body}`);
  return response.json();
}

/** Creates a contact through the API and answers it. */
export async function makeContact(client: Client, overrides: Json = {}) {
  const body = { firstName: "Ada", lastName: unique(), email: `${unique()}@example.com`, ...overrides };
  return (await client.post("/api/v1/contacts", body)).json();
}

/** Creates a company through the API and answers it. */
export async function makeCompany(client: Client) {
  return (await client.post("/api/v1/companies", { name: `Co ${unique()}` })).json();
}

/** Runs SQL on the test database as its owner (no row-level security). */
export async function rows(query: SQL): Promise<Json[]> {
  const { db } = await testDatabase();
  const result = (await db.execute(query)) as unknown as { rows: Json[] };
  return result.rows;
}

/** The stages of a workspace's default pipeline, by position. */
export function defaultStages(workspaceId: string) {
  return rows(sql`select s.id, s.pipeline_id as "pipelineId", s.name, s.probability, s.is_won as "isWon"
    from pipeline_stages s join pipelines p on p.workspace_id = s.workspace_id and p.id = s.pipeline_id
    where s.workspace_id = ${workspaceId} and p.is_default order by s.position`);
}

/** Adds a second, non-default pipeline with one stage (probability 40) to a workspace. */
export async function secondPipeline(workspaceId: string) {
  const pipelineId = crypto.randomUUID();
  const stageId = crypto.randomUUID();
  await rows(
    sql`insert into pipelines (workspace_id, id, name) values (${workspaceId}, ${pipelineId}, ${`Second ${unique()}`})`,
  );
  await rows(sql`insert into pipeline_stages (workspace_id, id, pipeline_id, name, position, probability)
    values (${workspaceId}, ${stageId}, ${pipelineId}, 'Applied', 0, 40)`);
  return { pipelineId, stageId };
}
