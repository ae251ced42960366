import cluster from "node:cluster";
import { parseArgs } from "node:util";
import { loadConfig, type Config } from "../config.ts";
import { openMigratedDatabase, serve, work } from "../main.ts";
import { maxWorkers, runCluster } from "./cluster.ts";
import { seedLargeWorkspace } from "../modules/seed/index.ts";

const usage = `Usage: keel <command> [options]

Commands:
  serve [--workers N]                Migrate, seed the demo on first start, and serve web + API
                                     (and run the background jobs, unless WORKERS=false);
                                     --workers N: N processes share the port (PostgreSQL only;
                                     default 1), restarted when one dies
  worker                             Run the background jobs only, no HTTP (PostgreSQL only)
  migrate                            Apply database migrations
  seed [--contacts N] [--workspace ID]
                                     Generate a large workspace (default 10000 contacts) for benchmarks
  workspaces create --name NAME --admin EMAIL
                                     Create a workspace with an existing user as admin
  audit verify [--workspace ID]      Check the audit log's hash chains; exits 1 naming the first
                                     broken entry when one was changed or removed
  backup FILE                        Write the database (embedded: stop Keel first) to a backup file
  restore FILE [--force]             Restore a backup into an empty data folder or database, check
                                     every table, then migrate; --force replaces (and keeps) the old
  users create-admin --email EMAIL [--name NAME] [--workspace NAME]
                                     Create a user and make them admin of a (new) workspace;
                                     the password is asked for, or read from standard input

Configuration comes from the environment; see .env.example.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help") {
    console.log(usage);
    return command ? 0 : 1;
  }
  const config = loadConfig();
  if (command === "serve") {
    const workers = workersOption(rest);
    // A cluster's workers run this same command: they serve, the primary supervises them.
    if (workers > 1 && cluster.isPrimary) await runCluster(config, workers);
    else await serve(config);
    return -1; // keep running
  }
  if (command === "worker") {
    await work(config);
    return -1; // keep running
  }
  // The one-shot commands load their code when run, so that a serving process never holds it.
  // Backup and restore open the database themselves: a backup must not migrate what it copies.
  if (command === "backup" || command === "restore") return backupOrRestore(command, config, rest);
  const connection = await openMigratedDatabase(config);
  try {
    switch (command) {
      case "migrate":
        console.log("Migrations applied.");
        return 0;
      case "seed": {
        const { values } = parseArgs({
          args: rest,
          options: { contacts: { type: "string" }, workspace: { type: "string" } },
        });
        const contacts = Number(values.contacts ?? 10_000);
        if (!Number.isInteger(contacts) || contacts < 1) throw new UsageError("--contacts must be a positive integer");
        const result = await seedLargeWorkspace(connection, { contacts, workspaceId: values.workspace });
        console.log(JSON.stringify(result));
        return 0;
      }
      case "workspaces": {
        if (rest[0] !== "create") throw new UsageError("Unknown workspaces command");
        const { values } = parseArgs({
          args: rest.slice(1),
          options: { name: { type: "string" }, admin: { type: "string" } },
        });
        if (!values.name || !values.admin) throw new UsageError("--name and --admin are required");
        const { createWorkspaceCommand } = await import("./workspaces.ts");
        console.log(JSON.stringify(await createWorkspaceCommand(connection.db, values.name, values.admin)));
        return 0;
      }
      case "audit": {
        if (rest[0] !== "verify") throw new UsageError("Unknown audit command");
        const { values } = parseArgs({ args: rest.slice(1), options: { workspace: { type: "string" } } });
        const { verifyAuditCommand } = await import("./audit.ts");
        return await verifyAuditCommand(connection.db, values.workspace);
      }
      case "users": {
        if (rest[0] !== "create-admin") throw new UsageError("Unknown users command");
        const { values } = parseArgs({
          args: rest.slice(1),
          options: {
            email: { type: "string" },
            name: { type: "string" },
            password: { type: "string" },
            workspace: { type: "string" },
          },
        });
        if (values.password !== undefined) {
          throw new UsageError(
            "--password is not accepted: arguments show in shell history and process lists. " +
              "Type the password at the prompt, or pipe it on standard input.",
          );
        }
        if (!values.email) throw new UsageError("--email is required");
        const [{ readPassword }, { createAdminUser }] = await Promise.all([
          import("./read-password.ts"),
          import("./create-admin.ts"),
        ]);
        const password = await readPassword("Password: ");
        if (process.stdin.isTTY && (await readPassword("Password again: ")) !== password) {
          throw new Error("The passwords do not match.");
        }
        const result = await createAdminUser(connection.db, {
          email: values.email,
          name: values.name ?? values.email,
          password,
          workspaceName: values.workspace ?? "My workspace",
        });
        console.log(JSON.stringify(result));
        return 0;
      }
      default:
        throw new UsageError(`Unknown command "${command}"`);
    }
  } finally {
    await connection.close();
  }
}

class UsageError extends Error {}

/** `keel backup` and `keel restore`; a misuse of either is answered like any other (with the usage). */
async function backupOrRestore(command: "backup" | "restore", config: Config, args: string[]): Promise<number> {
  const { backupCommand, BackupUsageError, restoreCommand } = await import("./backup.ts");
  try {
    return await (command === "backup" ? backupCommand : restoreCommand)(config, args);
  } catch (error) {
    throw error instanceof BackupUsageError ? new UsageError(error.message) : error;
  }
}

/** `keel serve --workers N`: how many processes serve (1, the default: this one, no cluster). */
function workersOption(args: string[]): number {
  let values: { workers?: string | undefined };
  try {
    ({ values } = parseArgs({ args, options: { workers: { type: "string" } } }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.workers === undefined) return 1;
  const workers = Number(values.workers);
  if (!/^\d+$/.test(values.workers) || workers < 1 || workers > maxWorkers) {
    throw new UsageError(`--workers must be a whole number from 1 to ${maxWorkers}`);
  }
  return workers;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${usage}`);
      process.exit(2);
    }
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
