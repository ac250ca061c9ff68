// The two models a local market serves, with the registry spec each registers under: octo-tiny (trained, the spec
// read from its GGUF) or the random-weights fixture (fastest; for tests where the answer's content does not matter).
import type { Hex } from "viem";
import { makeFixtureModel } from "../../scripts/makeFixtureModel.ts";
import { modelSpecFromGguf } from "../models/modelSpecFromGguf.ts";
import { OCTO_TINY_PATH } from "../models/octoTiny.ts";

export type LocalModelName = "octo-tiny" | "fixture";
export type LocalModel = {
  path: string;
  spec: { name: string; weightsDigest: Hex; quantization: string; engine: string };
};

export async function localModel(model: LocalModelName): Promise<LocalModel> {
  if (model === "octo-tiny")
    return { path: OCTO_TINY_PATH, spec: (await modelSpecFromGguf({ path: OCTO_TINY_PATH })).spec };
  const fixture = makeFixtureModel();
  return {
    path: fixture.path,
    spec: { name: "octo-fixture-tiny", weightsDigest: `0x${fixture.sha256}`, quantization: "f32", engine: "llama.cpp" },
  };
}
