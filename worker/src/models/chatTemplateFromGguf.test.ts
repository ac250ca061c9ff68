import { expect } from "chai";
import { decodeJobInput, encodeJobInput, renderJobInput } from "@octo/sdk";
import { makeFixtureModel } from "../../scripts/makeFixtureModel.ts";
import { chatTemplateFromGguf } from "./chatTemplateFromGguf.ts";
import { OCTO_TINY_PATH, renderOctoTinyPrompt } from "./octoTiny.ts";

describe("chatTemplateFromGguf", () => {
  it("octo-tiny's template renders a question as the prompt it was trained on", async () => {
    const chatTemplate = await chatTemplateFromGguf({ path: OCTO_TINY_PATH });
    expect(chatTemplate?.eosToken).to.equal("</s>");
    const input = decodeJobInput(encodeJobInput({ messages: [{ role: "user", content: "17 + 25" }] }));
    expect(renderJobInput(input, { chatTemplate })).to.equal(renderOctoTinyPrompt("17 + 25"));
  });

  it("a file without a template has none", async () => {
    expect(await chatTemplateFromGguf({ path: makeFixtureModel().path })).to.equal(undefined);
  });
});
