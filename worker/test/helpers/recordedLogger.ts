// A worker logger for end-to-end tests that keeps its lines in memory instead of printing them: quiet while tests pass,
// and the whole story of each worker when one fails (see printIfFailed).
import type { Context } from "mocha";
import { createLogger } from "../../src/ops/createLogger.ts";

export type RecordedLogger = { logger: ReturnType<typeof createLogger>; lines: string[] };

/** Keeps at most the last `limit` lines. */
export function recordedLogger(name: string, limit = 2_000): RecordedLogger {
  const lines: string[] = [];
  const destination = {
    write(line: string) {
      lines.push(line.trimEnd());
      if (lines.length > limit) lines.shift();
    },
  };
  return { logger: createLogger({ level: "debug", destination, name }), lines };
}

/** For an afterEach hook: prints every recorded line when the test that just ran failed. */
export function printIfFailed(context: Context, loggers: readonly RecordedLogger[]) {
  if (context.currentTest?.state !== "failed") return;
  for (const { lines } of loggers) for (const line of lines) console.log(line);
}
