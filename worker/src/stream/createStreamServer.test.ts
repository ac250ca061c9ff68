import { expect } from "chai";
import { createStreamServer, type StreamServer } from "./createStreamServer.ts";

async function readAll(url: string): Promise<string> {
  const res = await fetch(url);
  return res.text();
}

describe("createStreamServer", () => {
  let server: StreamServer;
  beforeEach(async () => {
    server = await createStreamServer();
  });
  afterEach(() => server.close());

  it("replays earlier pieces to a late subscriber and ends with the job", async () => {
    server.publish(9n, 0, Uint8Array.of(1, 2));
    server.publish(9n, 1, Uint8Array.of(3));
    server.end(9n);
    const body = await readAll(`${server.url}/jobs/9/stream`);
    expect(body).to.equal(
      'event: piece\ndata: {"i":0,"c":"0x0102"}\n\nevent: piece\ndata: {"i":1,"c":"0x03"}\n\nevent: end\ndata: {}\n\n',
    );
  });

  it("pushes pieces to a subscriber as they are published", async () => {
    const reading = readAll(`${server.url}/jobs/4/stream`);
    await new Promise((r) => setTimeout(r, 100));
    server.publish(4n, 0, Uint8Array.of(0xaa));
    server.end(4n);
    expect(await reading)
      .to.contain('"c":"0xaa"')
      .and.to.contain("event: end");
  });

  it("answers 404 to anything but a job stream", async () => {
    expect((await fetch(`${server.url}/jobs/x/stream`)).status).to.equal(404);
  });
});
