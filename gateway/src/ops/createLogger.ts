// JSON lines on stdout (pino), with the operator's key and API keys redacted wherever they appear.
import pino, { type DestinationStream, type Logger } from "pino";

export function createLogger({
  level = "info",
  destination,
}: {
  level?: string;
  destination?: DestinationStream;
} = {}): Logger {
  const options = {
    name: "octo-gateway",
    level,
    redact: {
      paths: ["operatorKey", "*.operatorKey", "secret", "*.secret", "headers.authorization", "*.headers.authorization"],
      censor: "[redacted]",
    },
    serializers: { err: pino.stdSerializers.err },
    formatters: { level: (label: string) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
