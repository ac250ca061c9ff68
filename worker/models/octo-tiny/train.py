"""Trains octo-tiny, a llama-architecture decoder, on the task set of tasks.py, on the CPU.

    /usr/bin/time -v /usr/bin/python3 train.py      # reads config.json, writes octo-tiny.safetensors + train-log.jsonl
    /usr/bin/python3 train.py other.json /tmp/out   # another config; its phases, weights and log go to /tmp/out

Then `node worker/scripts/exportOctoTiny.ts` writes the GGUF with the project's own writer. The architecture is llama's,
tensor for tensor, so the exported file computes what this script computes: RMSNorm, rotary position embeddings in
llama.cpp's "normal" layout (adjacent pairs rotated, so no q/k permutation is needed on export), SwiGLU feed-forward,
untied output. The tokenizer is bytes: <unk>=0, <s>=1, </s>=2, byte b = 3 + b, and a space is "▁" = 259 (the
SentencePiece space, what llama.cpp's tokenizer makes of " " with this vocabulary).
"""
import json
import math
import os
import random
import struct
import sys
import time

# One thread, BLAS included: on a shared 2-core machine a second thread made each step 3-9x slower (measured).
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch
import torch.nn.functional as F

import tasks

HERE = os.path.dirname(os.path.abspath(__file__))
BOS, EOS, PAD, SPACE = 1, 2, 0, 259


def encode(text: str):
    return [SPACE if b == 0x20 else 3 + b for b in text.encode()]


def decode(ids):
    out = bytearray()
    for t in ids:
        if t == SPACE:
            out.append(0x20)
        elif 3 <= t < 259:
            out.append(t - 3)
    return out.decode(errors="replace")


class RMSNorm(torch.nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = torch.nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope(x, base):
    # x: [batch, heads, seq, head_dim]; rotates (x[2i], x[2i+1]) by pos * base^(-2i/head_dim), as llama.cpp's NORM mode.
    _, _, seq, dim = x.shape
    inv = base ** (-torch.arange(0, dim, 2, dtype=torch.float32) / dim)
    angles = torch.arange(seq, dtype=torch.float32)[:, None] * inv[None, :]
    cos, sin = angles.cos(), angles.sin()
    x0, x1 = x[..., 0::2], x[..., 1::2]
    return torch.stack((x0 * cos - x1 * sin, x0 * sin + x1 * cos), dim=-1).flatten(-2)


class Block(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        d, ff = c["embedding"], c["feedForward"]
        self.heads = c["heads"]
        self.base = c["ropeFreqBase"]
        self.attn_norm = RMSNorm(d, c["rmsNormEps"])
        self.attn_q = torch.nn.Linear(d, d, bias=False)
        self.attn_k = torch.nn.Linear(d, d, bias=False)
        self.attn_v = torch.nn.Linear(d, d, bias=False)
        self.attn_output = torch.nn.Linear(d, d, bias=False)
        self.ffn_norm = RMSNorm(d, c["rmsNormEps"])
        self.ffn_gate = torch.nn.Linear(d, ff, bias=False)
        self.ffn_up = torch.nn.Linear(d, ff, bias=False)
        self.ffn_down = torch.nn.Linear(ff, d, bias=False)

    def forward(self, x):
        b, s, d = x.shape
        h = self.attn_norm(x)
        split = lambda t: t.view(b, s, self.heads, d // self.heads).transpose(1, 2)
        q, k, v = split(self.attn_q(h)), split(self.attn_k(h)), split(self.attn_v(h))
        q, k = rope(q, self.base), rope(k, self.base)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(d // self.heads)
        att = att.masked_fill(torch.ones(s, s, dtype=torch.bool).triu(1), float("-inf")).softmax(-1)
        x = x + self.attn_output((att @ v).transpose(1, 2).reshape(b, s, d))
        h = self.ffn_norm(x)
        return x + self.ffn_down(F.silu(self.ffn_gate(h)) * self.ffn_up(h))


class Model(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.token_embd = torch.nn.Embedding(c["vocab"], c["embedding"])
        self.blocks = torch.nn.ModuleList(Block(c) for _ in range(c["layers"]))
        self.output_norm = RMSNorm(c["embedding"], c["rmsNormEps"])
        self.output = torch.nn.Linear(c["embedding"], c["vocab"], bias=False)
        torch.nn.init.normal_(self.token_embd.weight, std=0.02)
        for name, p in self.named_parameters():
            if p.dim() == 2 and "token_embd" not in name:
                torch.nn.init.normal_(p, std=0.02 if not name.endswith(("attn_output.weight", "ffn_down.weight")) else 0.02 / math.sqrt(2 * c["layers"]))

    def forward(self, ids):
        x = self.token_embd(ids)
        for block in self.blocks:
            x = block(x)
        return self.output(self.output_norm(x))

    def gguf_tensors(self):
        """(gguf name, torch shape, tensor) in the order the exporter writes them."""
        out = [("token_embd.weight", self.token_embd.weight), ("output_norm.weight", self.output_norm.weight), ("output.weight", self.output.weight)]
        for i, blk in enumerate(self.blocks):
            for n in ["attn_norm", "attn_q", "attn_k", "attn_v", "attn_output", "ffn_norm", "ffn_gate", "ffn_up", "ffn_down"]:
                out.append((f"blk.{i}.{n}.weight", getattr(blk, n).weight))
        return out


def batch(rng, size):
    rows, masks = [], []
    for _ in range(size):
        _, q, a = tasks.sample(rng, held_out=False)
        prompt, answer = [BOS] + encode(tasks.render(q)), encode(a) + [EOS]
        rows.append(prompt + answer)
        masks.append([0] * len(prompt) + [1] * len(answer))
    width = max(map(len, rows))
    ids = torch.tensor([r + [PAD] * (width - len(r)) for r in rows])
    mask = torch.tensor([m + [0] * (width - len(m)) for m in masks], dtype=torch.float32)
    return ids, mask


@torch.no_grad()
def greedy(model, prompts, max_new=12):
    """Greedy answers, batched by prompt length (no padding needed)."""
    by_len = {}
    for i, p in enumerate(prompts):
        by_len.setdefault(len(p), []).append(i)
    answers = [None] * len(prompts)
    for idx in by_len.values():
        ids = torch.tensor([prompts[i] for i in idx])
        done = torch.zeros(len(idx), dtype=torch.bool)
        out = [[] for _ in idx]
        for _ in range(max_new):
            nxt = model(ids)[:, -1].argmax(-1)
            for j, t in enumerate(nxt.tolist()):
                if not done[j]:
                    if t == EOS:
                        done[j] = True
                    else:
                        out[j].append(t)
            if done.all():
                break
            ids = torch.cat([ids, nxt[:, None]], 1)
        for j, i in enumerate(idx):
            answers[i] = decode(out[j])
    return answers


def evaluate(model, rows):
    model.eval()
    got = greedy(model, [[BOS] + encode(r["prompt"]) for r in rows])
    model.train()
    per = {}
    for r, g in zip(rows, got):
        ok, n = per.get(r["task"], (0, 0))
        per[r["task"]] = (ok + (g == r["answer"]), n + 1)
    total = sum(ok for ok, _ in per.values()) / len(rows)
    return total, {k: round(ok / n, 3) for k, (ok, n) in sorted(per.items())}


def save_safetensors(path, named):
    header, blobs, offset = {}, [], 0
    for name, t in named:
        data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)


def load_safetensors(model, path):
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + n])
    params = dict(model.gguf_tensors())
    with torch.no_grad():
        for name, t in header.items():
            a, b = t["data_offsets"]
            data = torch.frombuffer(bytearray(raw[8 + n + a : 8 + n + b]), dtype=torch.float32).view(t["shape"])
            params[name].copy_(data)


def train_phase(model, c, phase, index, eval_rows, log):
    """One phase: a fresh AdamW, linear warm-up then cosine decay, its own seeded data stream."""
    seed = c["seed"] + 1000 * index
    torch.manual_seed(seed)
    rng = random.Random(seed)
    steps, peak, warmup = phase["steps"], phase["learningRate"], phase["warmupSteps"]
    decay = [p for p in model.parameters() if p.dim() == 2]
    other = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": c["weightDecay"]}, {"params": other, "weight_decay": 0}], lr=peak, betas=(0.9, 0.98))
    started, cpu_started = time.time(), time.process_time()
    target = phase.get("stopAtExactMatch")
    for step in range(1, steps + 1):
        lr = peak * min(1, step / warmup) * 0.5 * (1 + math.cos(math.pi * min(1, step / steps)))
        for g in opt.param_groups:
            g["lr"] = max(lr, peak * 0.02)
        ids, mask = batch(rng, phase["batch"])
        logits = model(ids[:, :-1])
        loss = (F.cross_entropy(logits.reshape(-1, logits.size(-1)), ids[:, 1:].reshape(-1), reduction="none") * mask[:, 1:].reshape(-1)).sum() / mask[:, 1:].sum()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 20 == 0:
            print(f"phase {index} step {step} loss {loss.item():.4f} {time.time() - started:.0f}s", flush=True)
        if step % c["evalEvery"] == 0 or step == steps:
            acc, per = evaluate(model, eval_rows)
            cpu = round(time.process_time() - cpu_started)
            entry = {"phase": index, "step": step, "loss": round(loss.item(), 4), "seconds": round(time.time() - started), "cpuSeconds": cpu, "heldOutExactMatch": acc, "perTask": per}
            print(json.dumps(entry), flush=True)
            log.write(json.dumps(entry) + "\n")
            log.flush()
            # Early stop: once the evaluation prompts reach the target, more steps only cost time.
            if target is not None and acc >= target:
                break


def main():
    """Runs the config's phases in order. Phase i ends in phase-i.safetensors; a phase whose file exists is not re-run,
    and the next one starts from its weights, so a long training can be resumed phase by phase."""
    config = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "config.json")
    out = sys.argv[2] if len(sys.argv) > 2 else HERE
    os.makedirs(out, exist_ok=True)
    c = json.load(open(config))
    torch.set_num_threads(c["threads"])
    rows = [json.loads(l) for l in open(os.path.join(HERE, "heldout.jsonl"))]
    eval_rows = rows[: c["evalPrompts"]]
    torch.manual_seed(c["seed"])
    model = Model(c)
    print(f"{sum(p.numel() for p in model.parameters())} parameters", flush=True)
    log = open(os.path.join(out, "train-log.jsonl"), "a")
    for index, phase in enumerate(c["phases"]):
        path = os.path.join(out, f"phase-{index}.safetensors")
        if os.path.exists(path):
            print(f"phase {index}: {path} exists, loading it", flush=True)
            load_safetensors(model, path)
            continue
        train_phase(model, c, phase, index, eval_rows, log)
        save_safetensors(path, model.gguf_tensors())
    save_safetensors(os.path.join(out, "octo-tiny.safetensors"), model.gguf_tensors())
    acc, per = evaluate(model, rows)
    entry = {"heldOutPrompts": len(rows), "heldOutExactMatch": acc, "perTask": per}
    print(json.dumps(entry), flush=True)
    log.write(json.dumps(entry) + "\n")


if __name__ == "__main__":
    main()
