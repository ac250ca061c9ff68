/**
 * The worker's logger: pino, JSON lines on stdout (or `destination`), with secrets redacted wherever they appear
 * under the usual names — a private key, mnemonic, password or auth header is printed as "[redacted]".
 *
 * API: createLogger({ level?, destination?, name? }): Logger     REDACT_PATHS — the redacted paths
 */
import pino, { type DestinationStream, type Logger } from "pino";

export const REDACT_PATHS = [
  "privateKey",
  "*.privateKey",
  "*.*.privateKey",
  "key.privateKey",
  "mnemonic",
  "*.mnemonic",
  "password",
  "*.password",
  "secret",
  "*.secret",
  "raw",
  "*.raw",
  "serializedTransaction",
  "*.serializedTransaction",
  "headers.authorization",
  "*.headers.authorization",
  "config.key",
  "account.privateKey",
];

export type CreateLoggerParameters = {
  level?: string | undefined;
  destination?: DestinationStream | undefined;
  name?: string | undefined;
};

export function createLogger({
  level = "info",
  destination,
  name = "octo-worker",
}: CreateLoggerParameters = {}): Logger {
  const options = {
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    serializers: { err: pino.stdSerializers.err },
    formatters: { level: (label: string) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
