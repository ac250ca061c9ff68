// A small OpenAI-compatible HTTP server in front of the llama.cpp engine, speaking the subset of vLLM's API the worker
// uses: GET /health, GET /v1/models, GET /version, POST /tokenize, POST /v1/completions (SSE streaming and plain).
// It lets the vLLM supervisor and client be tested for real, against a real subprocess, where vLLM cannot run; it also
// serves a GGUF to other tools over HTTP.
//
//   node worker/src/engines/openaiCompatServer.ts --model worker/.data/fixture.gguf --port 8000 [--host 127.0.0.1]
//        [--served-model-name NAME] [--threads N] [--context-size N] [--gpu-layers N]
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { createLlamaCppEngine } from "./createLlamaCppEngine.ts";
import { EngineError, GenerationAbortedError, PromptTooLongError } from "./errors.ts";
import type { Engine, GenerateReturnType } from "./types.ts";

export type ServeOpenAiCompatParameters = {
  engine: Engine;
  servedModelName: string;
  host?: string;
  /** 0 picks a free port. */
  port: number;
};

export type ServeOpenAiCompatReturnType = { server: Server; url: string; close(): Promise<void> };

export async function serveOpenAiCompat({
  engine,
  servedModelName,
  host = "127.0.0.1",
  port,
}: ServeOpenAiCompatParameters): Promise<ServeOpenAiCompatReturnType> {
  const info = engine.info();
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(500, error instanceof Error ? error.message : String(error)));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/health") {
      const health = await engine.health();
      res.writeHead(health.healthy ? 200 : 503).end();
      return;
    }
    if (req.method === "GET" && path === "/version") return sendJson(res, 200, { version: info.version });
    if (req.method === "GET" && path === "/v1/models") {
      return sendJson(res, 200, {
        object: "list",
        data: [
          {
            id: servedModelName,
            object: "model",
            created: 0,
            owned_by: "octo",
            root: info.model,
            max_model_len: info.contextSize,
          },
        ],
      });
    }
    if (req.method === "POST" && path === "/tokenize") {
      const body = await readJson(req);
      if (typeof body.prompt !== "string") return sendJson(res, 400, errorBody(400, "prompt must be a string"));
      return sendJson(res, 200, { count: await engine.countTokens(body.prompt), max_model_len: info.contextSize });
    }
    if (req.method === "POST" && path === "/v1/completions") return completions(req, res);
    sendJson(res, 404, errorBody(404, `no route ${req.method} ${path}`));
  }

  async function completions(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    if (body.model !== servedModelName)
      return sendJson(res, 404, errorBody(404, `The model \`${String(body.model)}\` does not exist.`));
    if (typeof body.prompt !== "string") return sendJson(res, 400, errorBody(400, "prompt must be a string"));
    const maxTokens = body.max_tokens === undefined ? 16 : Number(body.max_tokens);
    const temperature = body.temperature === undefined ? 1 : Number(body.temperature);
    const topP = body.top_p === undefined || body.top_p === null ? undefined : Number(body.top_p);
    const seed = body.seed === undefined || body.seed === null ? 0 : Number(body.seed);
    const stream = body.stream === true;
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const id = `cmpl-${randomUUID().replaceAll("-", "")}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (choices: unknown[], usage?: unknown) =>
      `data: ${JSON.stringify({ id, object: "text_completion", created, model: servedModelName, choices, ...(usage ? { usage } : {}) })}\n\n`;

    // The client going away aborts generation, as in vLLM.
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort(new Error("client disconnected"));
    });

    let result: GenerateReturnType;
    try {
      result = await engine.generate(
        { prompt: body.prompt, maxTokens, temperature, topP, seed, signal: controller.signal },
        (text) => {
          if (!stream) return;
          if (!res.headersSent)
            res.writeHead(200, {
              "content-type": "text/event-stream",
              "cache-control": "no-cache",
              connection: "keep-alive",
            });
          res.write(chunk([{ index: 0, text, logprobs: null, finish_reason: null }]));
        },
      );
    } catch (error) {
      if (error instanceof GenerationAbortedError) return void res.destroy();
      const status =
        error instanceof PromptTooLongError ? 400 : error instanceof EngineError && error.fault === "input" ? 400 : 500;
      const message =
        error instanceof PromptTooLongError
          ? `This model's maximum context length is ${error.contextSize} tokens. However, you requested ${error.promptTokens + error.maxTokens} tokens (${error.promptTokens} in the messages, ${error.maxTokens} in the completion). Please reduce the length of the messages or completion.`
          : error instanceof Error
            ? error.message
            : String(error);
      if (!res.headersSent) return sendJson(res, status, errorBody(status, message));
      res.end(`data: ${JSON.stringify(errorBody(status, message))}\n\n`);
      return;
    }
    const usage = {
      prompt_tokens: result.promptTokens,
      completion_tokens: result.tokens,
      total_tokens: result.promptTokens + result.tokens,
    };
    if (!stream) {
      return sendJson(res, 200, {
        id,
        object: "text_completion",
        created,
        model: servedModelName,
        choices: [{ index: 0, text: result.text, logprobs: null, finish_reason: result.finishReason }],
        usage,
      });
    }
    if (!res.headersSent)
      res.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        connection: "keep-alive",
      });
    res.write(chunk([{ index: 0, text: "", logprobs: null, finish_reason: result.finishReason }]));
    if (includeUsage) res.write(chunk([], usage));
    res.end("data: [DONE]\n\n");
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function errorBody(code: number, message: string) {
  return {
    object: "error",
    message,
    type: code === 400 ? "BadRequestError" : code === 404 ? "NotFoundError" : "InternalServerError",
    param: null,
    code,
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  const value: unknown = text ? JSON.parse(text) : {};
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error("request body must be a JSON object");
  return value as Record<string, unknown>;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      model: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "8000" },
      "served-model-name": { type: "string" },
      threads: { type: "string" },
      "context-size": { type: "string" },
      "gpu-layers": { type: "string" },
    },
  });
  if (!values.model) {
    console.error(
      "usage: openaiCompatServer.ts --model <gguf> [--port 8000] [--host 127.0.0.1] [--served-model-name NAME] [--threads N] [--context-size N] [--gpu-layers N]",
    );
    process.exit(2);
  }
  const engine = await createLlamaCppEngine({
    modelPath: values.model,
    ...(values.threads ? { threads: Number(values.threads) } : {}),
    ...(values["context-size"] ? { contextSize: Number(values["context-size"]) } : {}),
    ...(values["gpu-layers"] ? { gpuLayers: Number(values["gpu-layers"]) } : {}),
  });
  const served = await serveOpenAiCompat({
    engine,
    servedModelName: values["served-model-name"] ?? engine.info().model,
    host: values.host,
    port: Number(values.port),
  });
  console.log(`openaiCompatServer: serving ${engine.info().model} (${engine.info().version}) at ${served.url}`);
  const shutdown = () => {
    console.log("openaiCompatServer: shutting down");
    void served
      .close()
      .then(() => engine.stop())
      .then(() => process.exit(0));
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
