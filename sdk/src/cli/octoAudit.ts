#!/usr/bin/env node
// octo-audit: an auditor's command line over public chain data (Node only; the sdk's main entry stays browser-safe).
//   octo-audit verify <jobId> [--rpc <url>] [--deployments <file>] [--result <file>] [--json]
//   octo-audit export --from <block> [--to <block>] [--format csv|json] [--out <file>] [--rpc <url>] [--deployments <file>]
// `verify` exits 0 only when every check passes, 1 when one fails, 2 on a usage or connection error.
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createPublicClient, http } from "viem";
import { verifyReceipt } from "../actions/verifyReceipt.ts";
import { parseDeployments } from "../deployments.ts";
import { InvalidInputError } from "../errors/errors.ts";
import { listReceipts, receiptsToCsv } from "./listReceipts.ts";
import { receiptFromJson, stringifyReceipts } from "./receiptJson.ts";

const usage = `usage:
  octo-audit verify <jobId> [--rpc <url>] [--deployments <file>] [--result <file>] [--json]
  octo-audit export --from <block> [--to <block>] [--format csv|json] [--out <file>] [--rpc <url>] [--deployments <file>]`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      rpc: { type: "string", default: "http://127.0.0.1:8545" },
      deployments: { type: "string", default: "deployments/31337.json" },
      result: { type: "string" },
      json: { type: "boolean", default: false },
      from: { type: "string" },
      to: { type: "string" },
      format: { type: "string", default: "csv" },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const deployments = parseDeployments(readFileSync(values.deployments, "utf8"));
  const client = createPublicClient({ transport: http(values.rpc) });

  if (command === "verify") {
    const [id] = rest;
    if (id === undefined || !/^\d+$/.test(id)) throw new InvalidInputError("verify needs a job id (a decimal number)");
    const jobId = BigInt(id);
    const result =
      values.result === undefined ? undefined : receiptFromJson(readFileSync(values.result, "utf8"), jobId);
    const receipt = await verifyReceipt(client, { deployments, jobId, result });
    if (values.json) {
      console.log(stringifyReceipts({ jobId, ok: receipt.ok, checks: receipt.checks }).trimEnd());
    } else {
      const width = Math.max(...receipt.checks.map((c) => c.name.length));
      for (const c of receipt.checks)
        console.log(
          `${c.ok ? "pass" : "FAIL"}  ${c.name.padEnd(width)}  ${c.ms.toFixed(1).padStart(8)} ms  ${c.details}`,
        );
      const failed = receipt.checks.filter((c) => !c.ok).map((c) => c.name);
      console.log(
        failed.length === 0
          ? `job ${jobId}: every check passed (${receipt.checks.length})`
          : `job ${jobId}: ${failed.length} of ${receipt.checks.length} checks failed: ${failed.join(", ")}`,
      );
    }
    return receipt.ok ? 0 : 1;
  }

  if (command === "export") {
    if (values.from === undefined || !/^\d+$/.test(values.from))
      throw new InvalidInputError("export needs --from <block>");
    if (values.to !== undefined && !/^\d+$/.test(values.to)) throw new InvalidInputError("--to takes a block number");
    if (values.format !== "csv" && values.format !== "json")
      throw new InvalidInputError(`--format is csv or json, not ${values.format}`);
    const receipts = await listReceipts(client, {
      deployments,
      fromBlock: BigInt(values.from),
      toBlock: values.to === undefined ? undefined : BigInt(values.to),
    });
    const text = values.format === "csv" ? receiptsToCsv(receipts) : stringifyReceipts(receipts);
    if (values.out === undefined) process.stdout.write(text);
    else writeFileSync(values.out, text);
    if (values.out !== undefined) console.error(`${receipts.length} receipts written to ${values.out}`);
    return 0;
  }
  throw new InvalidInputError(`unknown command ${command}`);
}

main(process.argv.slice(2)).then(
  // snarkjs (behind verifyReceipt) keeps worker threads alive: end explicitly.
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      error instanceof InvalidInputError
        ? `octo-audit: ${error.message}\n${usage}`
        : `octo-audit: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(2);
  },
);
