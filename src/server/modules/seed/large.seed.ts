import type { DatabaseConnection } from "../../db/client.ts";

/** Generates a large workspace for benchmarks. */
export async function seedLargeWorkspace(
  _connection: DatabaseConnection,
  _options: { contacts: number; workspaceId?: string | undefined },
): Promise<{ workspaceId: string }> {
  throw new Error("not implemented yet");
}
