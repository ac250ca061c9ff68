import { expect } from "chai";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { JinjaTemplateChatWrapper } from "node-llama-cpp";
import { createLlamaCppEngine } from "../engines/createLlamaCppEngine.ts";
import { createLlamaCppProcessEngine } from "../engines/createLlamaCppProcessEngine.ts";
import type { Engine } from "../engines/types.ts";
import { modelSpecFromGguf } from "./modelSpecFromGguf.ts";
import { OCTO_TINY_CHAT_TEMPLATE, OCTO_TINY_PATH, readOctoTinyHeldOut, renderOctoTinyPrompt } from "./octoTiny.ts";

/** One held-out question of each task, the first in the file: the model never saw them in training. */
const examples = (() => {
  const seen = new Set<string>();
  return readOctoTinyHeldOut().filter((e) => !seen.has(e.task) && seen.add(e.task));
})();

describe("octo-tiny (the committed default model)", () => {
  let engine: Engine;
  before(async () => (engine = await createLlamaCppEngine({ modelPath: OCTO_TINY_PATH, threads: 1 })));
  after(() => engine?.stop());

  it("is the file its committed sha256 names", () => {
    const [recorded] = readFileSync(`${OCTO_TINY_PATH}.sha256`, "utf8").split(" ");
    expect(createHash("sha256").update(readFileSync(OCTO_TINY_PATH)).digest("hex")).to.equal(recorded);
  });

  it("has its registry spec derived from the file: name, weights digest, quantization, engine and chat template", async () => {
    const [recorded] = readFileSync(`${OCTO_TINY_PATH}.sha256`, "utf8").split(" ");
    const { spec, chatTemplate } = await modelSpecFromGguf({ path: OCTO_TINY_PATH });
    expect(spec).to.deep.equal({
      name: "octo-tiny",
      weightsDigest: `0x${recorded}`,
      quantization: "f32",
      engine: "llama.cpp",
    });
    expect(chatTemplate).to.equal(OCTO_TINY_CHAT_TEMPLATE);
  });

  it("has a chat template that renders a question as the prompt the model was trained on", () => {
    const wrapper = new JinjaTemplateChatWrapper({ template: OCTO_TINY_CHAT_TEMPLATE });
    const { contextText } = wrapper.generateContextState({
      chatHistory: [
        { type: "user", text: "2 + 2" },
        { type: "model", response: [] },
      ],
    });
    expect(contextText.toString()).to.equal(renderOctoTinyPrompt("2 + 2"));
  });

  it(`answers held-out questions of every task (${examples.map((e) => e.task).join(", ")})`, async () => {
    expect(examples.length).to.be.at.least(9);
    const answers: string[] = [];
    for (const e of examples)
      answers.push((await engine.generate({ prompt: e.prompt, maxTokens: 16, temperature: 0, seed: 0 })).text);
    const correct = examples.filter((e, i) => answers[i] === e.answer).length;
    // A model that answers ≥ 95 % of the whole set (npm run bench) may miss one of these; noise would miss them all.
    expect(correct, JSON.stringify(examples.map((e, i) => [e.question, e.answer, answers[i]]))).to.be.at.least(
      examples.length - 1,
    );
  });

  it("answers 2 + 2 with 4 and stops", async () => {
    expect(
      await engine.generate({ prompt: renderOctoTinyPrompt("2 + 2"), maxTokens: 16, temperature: 0, seed: 0 }),
    ).to.deep.include({ text: "4", finishReason: "stop" });
  });

  it("gives byte-identical greedy outputs in-process and in the worker's child-process engine, with 1 and 2 threads", async () => {
    // One prompt per task here; npm run bench compares the whole held-out set (model.deterministic).
    const prompts = examples.map((e) => e.prompt);
    const run = async (other: Engine) => {
      try {
        const out = [];
        for (const prompt of prompts)
          out.push(await other.generate({ prompt, maxTokens: 16, temperature: 0, seed: 0 }));
        return out;
      } finally {
        await other.stop();
      }
    };
    const here = [];
    for (const prompt of prompts) here.push(await engine.generate({ prompt, maxTokens: 16, temperature: 0, seed: 0 }));
    const modelPath = OCTO_TINY_PATH;
    expect(await run(await createLlamaCppProcessEngine({ modelPath, threads: 1 })), "child, 1 thread").to.deep.equal(
      here,
    );
    expect(await run(await createLlamaCppEngine({ modelPath, threads: 2 })), "in-process, 2 threads").to.deep.equal(
      here,
    );
    expect(await run(await createLlamaCppProcessEngine({ modelPath, threads: 2 })), "child, 2 threads").to.deep.equal(
      here,
    );
  });
});
