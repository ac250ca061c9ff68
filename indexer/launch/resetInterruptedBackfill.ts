// Makes a PGlite directory whose last indexer was interrupted during a backfill safe to start again on.
//
// On PGlite, Ponder 0.16 runs its "transactions" as separate statements (its query builder wraps real transactions
// around PostgreSQL only; `ponder/src/database/queryBuilder.ts`), and a backfill writes no undo journal (the
// `_reorg__*` tables only record live blocks). A backfill batch writes each table, then the checkpoint, each committed
// on its own: an interrupted batch leaves some of its rows without the checkpoint that covers them, and a restart
// replays the batch over them (a primary-key conflict on an insert, a count added twice on an update). Ponder marks
// its schema `is_ready` once the backfill is done; a schema left not ready was interrupted in a backfill, so its
// tables are dropped and the next start indexes from the beginning. The RPC cache (`ponder_sync`) is kept.
// PostgreSQL needs none of this: there the batch and its checkpoint commit together. `@electric-sql/pglite` is pinned to
// the version Ponder pins (0.2.13), so both open the directory with the same PostgreSQL build.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { z } from "zod";

export type ResetInterruptedBackfillParameters = {
  /** The PGlite directory Ponder uses. */
  pgliteDir: string;
  /** The schema Ponder writes the tables into (`--schema`). */
  databaseSchema: string;
};

/** `"reset"` when the schema was dropped, `"kept"` when it was ready (or there was nothing to keep). */
export type ResetInterruptedBackfillReturnType = "reset" | "kept";

const ponderApp = z.object({ is_ready: z.number() });

export async function resetInterruptedBackfill(
  parameters: ResetInterruptedBackfillParameters,
): Promise<ResetInterruptedBackfillReturnType> {
  const { pgliteDir, databaseSchema } = parameters;
  // An empty or new directory: PGlite would create a database there, and Ponder does that itself.
  if (!existsSync(join(pgliteDir, "PG_VERSION"))) return "kept";
  const db = new PGlite(pgliteDir);
  try {
    const schema = `"${databaseSchema.replaceAll('"', '""')}"`;
    const exists = await db.query<{ meta: string | null }>("select to_regclass($1)::text as meta", [
      `${schema}._ponder_meta`,
    ]);
    if (exists.rows[0]?.meta == null) return "kept";
    const app = await db.query<{ value: unknown }>(`select value from ${schema}._ponder_meta where key = 'app'`);
    const value = app.rows[0]?.value;
    if (value !== undefined && ponderApp.parse(value).is_ready === 1) return "kept";
    await db.exec(`drop schema ${schema} cascade`);
    return "reset";
  } finally {
    // Closing checkpoints PGlite's log, so Ponder opens a clean directory.
    await db.close();
  }
}
