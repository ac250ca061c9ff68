import { expect } from "chai";
import { parseSse } from "./parseSse.ts";

async function collect(chunks: string[] | Uint8Array[]): Promise<string[]> {
  const bytes = chunks.map((c) => (typeof c === "string" ? new TextEncoder().encode(c) : c));
  const events: string[] = [];
  for await (const e of parseSse(
    (async function* () {
      yield* bytes;
    })(),
  ))
    events.push(e);
  return events;
}

describe("parseSse", () => {
  it("yields data payloads, skipping comments and other fields", async () => {
    expect(await collect([': ping\n\nevent: x\ndata: {"a":1}\n\ndata: [DONE]\n\n'])).to.deep.equal([
      '{"a":1}',
      "[DONE]",
    ]);
  });

  it("joins multi-line data and handles CRLF, also split between chunks", async () => {
    expect(await collect(["data: one\r", "\ndata: two\r\n\r", "\ndata:three\n\n"])).to.deep.equal([
      "one\ntwo",
      "three",
    ]);
  });

  it("decodes UTF-8 split across chunks", async () => {
    const bytes = new TextEncoder().encode("data: é😀\n\n");
    expect(await collect([bytes.slice(0, 7), bytes.slice(7, 9), bytes.slice(9)])).to.deep.equal(["é😀"]);
  });

  it("drops an event cut off before its blank line", async () => {
    expect(await collect(["data: complete\n\ndata: cut"])).to.deep.equal(["complete"]);
  });
});
