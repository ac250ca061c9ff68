// Server-sent events, as OpenAI-compatible servers stream them: `data: …` lines, events separated by a blank line.
// Only `data` fields matter here; comments (`: ping`) and other fields are skipped.

/** Yields the data payload of each event in a byte stream, decoding UTF-8 across chunk boundaries. */
export async function* parseSse(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  const takeLines = function* (final: boolean): Generator<string> {
    for (;;) {
      const nl = buffer.search(/\r\n|\r|\n/);
      if (nl < 0) break;
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(buffer.startsWith("\r\n", nl) ? nl + 2 : nl + 1);
      yield line;
    }
    if (final && buffer.length > 0) {
      yield buffer;
      buffer = "";
    }
  };
  const onLine = (line: string): string | undefined => {
    if (line === "") {
      if (data.length === 0) return undefined;
      const event = data.join("\n");
      data = [];
      return event;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    return undefined;
  };
  for await (const chunk of Symbol.asyncIterator in body ? body : chunks(body)) {
    buffer += decoder.decode(chunk, { stream: true });
    // A trailing "\r" may be the first half of "\r\n": wait for the next chunk before splitting on it.
    const held = buffer.endsWith("\r") ? "\r" : "";
    if (held) buffer = buffer.slice(0, -1);
    for (const line of takeLines(false)) {
      const event = onLine(line);
      if (event !== undefined) yield event;
    }
    buffer += held;
  }
  buffer += decoder.decode();
  for (const line of takeLines(true)) {
    const event = onLine(line);
    if (event !== undefined) yield event;
  }
  // An event not terminated by a blank line is incomplete and dropped, as the SSE spec says.
}

async function* chunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
