// Reading a JSON body (bounded) and writing JSON, errors and server-sent events on node:http.
import type { IncomingMessage, ServerResponse } from "node:http";
import { GatewayError } from "../errors/GatewayError.ts";

export const MAX_BODY_BYTES = 1 << 20;

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new GatewayError(`the request body is over ${MAX_BODY_BYTES} bytes`, {
        status: 413,
        type: "invalid_request_error",
        code: "payload_too_large",
      });
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (cause) {
    throw new GatewayError("the request body is not valid JSON", {
      status: 400,
      type: "invalid_request_error",
      code: "invalid_json",
      details: cause instanceof Error ? cause.message : String(cause),
    });
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, error: GatewayError): void {
  if (res.headersSent) return void res.end();
  sendJson(res, error.status, error.toJSON());
}

/** Starts an event stream; `send` writes one `data:` event, `done` the closing `[DONE]`. */
export function openEventStream(res: ServerResponse, headers: Record<string, string>) {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
    ...headers,
  });
  res.flushHeaders();
  return {
    send: (body: unknown) => void res.write(`data: ${JSON.stringify(body)}\n\n`),
    done: () => void res.end("data: [DONE]\n\n"),
  };
}
