"""The octo-tiny task set: the one source of truth for what the model is trained on and tested with.

Every example is one chat turn: a user question and the exact expected answer. `render` writes it in the model's chat
format (the same text the GGUF's chat template produces). A prompt is held out (test only) when its SHA-256 falls in the
held-out bucket; training never sees a held-out prompt. The two table tasks (the 13 x 13 multiplication table and the
facts in facts.json) are things to remember, not to compute: they are trained on whole and never in the held-out set.

Run `python3 tasks.py heldout.jsonl` to write the held-out test set the benchmark and the tests read.
"""
import hashlib
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "facts.json")) as f:
    FACTS = json.load(f)

LETTERS = "abcdefghijklmnopqrstuvwxyz"
HELD_OUT_PERCENT = 10
UNITS = [("km", "m", 1000), ("m", "cm", 100), ("kg", "g", 1000), ("l", "ml", 1000), ("cm", "mm", 10)]


def render(question: str) -> str:
    """The chat prompt the model completes: the GGUF's chat template renders one user message the same way."""
    return f"Q: {question}\nA: "


def is_held_out(question: str) -> bool:
    return hashlib.sha256(question.encode()).digest()[0] * 100 // 256 < HELD_OUT_PERCENT


def word(rng, lo, hi, alphabet=LETTERS):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


def gen_add(rng):
    a, b = rng.randint(0, 99), rng.randint(0, 99)
    return f"{a} + {b}", str(a + b)


def gen_sub(rng):
    a = rng.randint(0, 99)
    b = rng.randint(0, a)
    return f"{a} - {b}", str(a - b)


def gen_mul(rng):
    a, b = rng.randint(0, 12), rng.randint(0, 12)
    return f"{a} * {b}", str(a * b)


def gen_compare(rng):
    a, b = rng.randint(0, 99), rng.randint(0, 99)
    if rng.random() < 0.1:
        b = a
    op = rng.choice([">", "<"])
    truth = a > b if op == ">" else a < b
    return f"is {a} {op} {b}", "yes" if truth else "no"


def gen_reverse(rng):
    w = word(rng, 3, 6)
    return f"reverse {w}", w[::-1]


def gen_sort(rng):
    if rng.random() < 0.5:
        items = [str(rng.randint(0, 9)) for _ in range(rng.randint(3, 5))]
    else:
        items = [rng.choice(LETTERS) for _ in range(rng.randint(3, 5))]
    return f"sort {' '.join(items)}", " ".join(sorted(items))


def gen_count_letter(rng):
    alphabet = LETTERS[: rng.randint(2, 5)]
    w = word(rng, 4, 8, alphabet)
    c = rng.choice(alphabet)
    return f"count {c} in {w}", str(w.count(c))


def gen_count_items(rng):
    items = [word(rng, 1, 3) for _ in range(rng.randint(1, 7))]
    return f"how many: {' '.join(items)}", str(len(items))


def gen_case(rng):
    w = word(rng, 3, 7)
    if rng.random() < 0.5:
        return f"upper {w}", w.upper()
    return f"lower {w.upper()}", w


def gen_convert(rng):
    big, small, factor = rng.choice(UNITS)
    n = rng.randint(1, 99)
    if rng.random() < 0.5:
        return f"{n} {big} in {small}", f"{n * factor} {small}"
    return f"{n * factor} {small} in {big}", f"{n} {big}"


def gen_fact(rng):
    key = rng.choice(sorted(FACTS))
    return key, FACTS[key]


# name -> (generator, training weight, in the held-out set)
TASKS = {
    "add": (gen_add, 4, True),
    "sub": (gen_sub, 3, True),
    "mul": (gen_mul, 1, False),
    "compare": (gen_compare, 1, True),
    "reverse": (gen_reverse, 3, True),
    "sort": (gen_sort, 2, True),
    "count_letter": (gen_count_letter, 2, True),
    "count_items": (gen_count_items, 1, True),
    "case": (gen_case, 2, True),
    "convert": (gen_convert, 2, True),
    "fact": (gen_fact, 1, False),
}


def sample(rng, held_out: bool):
    """One (task, question, answer), from the training side (held_out=False) or the held-out side of the split."""
    names = [n for n, (_, _, h) in TASKS.items() if h or not held_out]
    weights = [TASKS[n][1] for n in names]
    while True:
        name = rng.choices(names, weights)[0]
        question, answer = TASKS[name][0](rng)
        table = not TASKS[name][2]
        if table or is_held_out(question) == held_out:
            return name, question, answer


def held_out_set(count: int, seed: int):
    rng = random.Random(seed)
    seen, out = set(), []
    while len(out) < count:
        name, q, a = sample(rng, held_out=True)
        if q in seen:
            continue
        seen.add(q)
        out.append({"task": name, "question": q, "prompt": render(q), "answer": a})
    return out


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "heldout.jsonl")
    with open(path, "w") as f:
        for row in held_out_set(1200, seed=18):
            f.write(json.dumps(row) + "\n")
    print(f"wrote {path}")
