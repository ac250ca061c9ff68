import { BaseError } from "../errors/BaseError.ts";

export type ConfigIssue = {
  /** Field path in the config file, e.g. `rpcUrls[1]` or `models[0].engine.threads`. */
  path: string;
  /** What is wrong and how to fix it. Never contains a secret value. */
  message: string;
  /** The environment variable that supplied the value, when one did. */
  env?: string | undefined;
};

/** A config file or environment that cannot run the worker. `message` names every bad field and its fix. */
export class ConfigError extends BaseError {
  override name = "ConfigError";
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[], parameters: { source?: string; cause?: unknown } = {}) {
    const lines = issues.map((i) => `${i.path || "(root)"}: ${i.message}${i.env ? ` (from ${i.env})` : ""}`);
    super(
      issues.length === 1
        ? (lines[0] as string)
        : `${issues.length} problems in the worker config:\n${lines.join("\n")}`,
      { details: parameters.source ? `config: ${parameters.source}` : undefined, cause: parameters.cause },
    );
    this.issues = issues;
  }
}
