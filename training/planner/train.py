"""Trains TinyAgent-micro: a llama-architecture decoder whose math is llama.cpp's LLAMA graph.

    /usr/bin/python3 training/planner/train.py --work training/planner/work [--steps N]

Reads the token ids prepare.ts wrote (train.tokens/.index: uint16 ids of BOS + prompt + completion;
int32 start, prompt length, total length per example), trains on the completion tokens only, and writes
weights.bin (little-endian float32 tensors, one after another) and weights.jsonl (one line per tensor:
GGUF name, GGUF dims [columns, rows], float offset), which export.ts turns into the GGUF file.

Math as llama.cpp runs arch "llama": RMSNorm (eps 1e-5) with a weight, rotary embeddings of type NORM
(adjacent pairs (x0, x1), (x2, x3), ... rotate; base 10000), causal softmax attention scaled by
1/sqrt(head size), SwiGLU feed-forward (down(silu(gate(x)) * up(x))), no biases, untied output.
Seeded, two threads, same numbers on every run.
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

ARCH = dict(embedding=256, layers=4, heads=8, feed_forward=768, context=1024)


def rms_norm(x, weight, eps=1e-5):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def rope_tables(length, head_size, base=10000.0):
    inv = base ** (-torch.arange(0, head_size, 2, dtype=torch.float32) / head_size)
    angles = torch.arange(length, dtype=torch.float32)[:, None] * inv[None, :]
    return torch.cos(angles), torch.sin(angles)


def rope(x, cos, sin):
    """x: (batch, heads, time, head size); rotates adjacent pairs, as llama.cpp's NORM rope does."""
    x0, x1 = x[..., 0::2], x[..., 1::2]
    out = torch.stack((x0 * cos - x1 * sin, x0 * sin + x1 * cos), dim=-1)
    return out.flatten(-2)


class Block(torch.nn.Module):
    def __init__(self, d, heads, ff):
        super().__init__()
        self.heads = heads
        self.attn_norm = torch.nn.Parameter(torch.ones(d))
        self.wq = torch.nn.Linear(d, d, bias=False)
        self.wk = torch.nn.Linear(d, d, bias=False)
        self.wv = torch.nn.Linear(d, d, bias=False)
        self.wo = torch.nn.Linear(d, d, bias=False)
        self.ffn_norm = torch.nn.Parameter(torch.ones(d))
        self.gate = torch.nn.Linear(d, ff, bias=False)
        self.up = torch.nn.Linear(d, ff, bias=False)
        self.down = torch.nn.Linear(ff, d, bias=False)

    def forward(self, x, cos, sin, mask):
        b, t, d = x.shape
        hs = d // self.heads
        h = rms_norm(x, self.attn_norm)
        split = lambda y: y.view(b, t, self.heads, hs).transpose(1, 2)
        q, k, v = split(self.wq(h)), split(self.wk(h)), split(self.wv(h))
        q, k = rope(q, cos, sin), rope(k, cos, sin)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(hs) + mask
        attn = torch.softmax(scores, dim=-1) @ v
        x = x + self.wo(attn.transpose(1, 2).reshape(b, t, d))
        h = rms_norm(x, self.ffn_norm)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class Model(torch.nn.Module):
    def __init__(self, vocab, arch):
        super().__init__()
        d = arch["embedding"]
        self.arch = arch
        self.embed = torch.nn.Embedding(vocab, d)
        self.blocks = torch.nn.ModuleList(
            Block(d, arch["heads"], arch["feed_forward"]) for _ in range(arch["layers"])
        )
        self.norm = torch.nn.Parameter(torch.ones(d))
        self.output = torch.nn.Linear(d, vocab, bias=False)
        for name, p in self.named_parameters():
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * arch["layers"]) if name.endswith(("wo.weight", "down.weight")) else 0.02
                torch.nn.init.normal_(p, std=std)
        cos, sin = rope_tables(arch["context"], d // arch["heads"])
        self.register_buffer("cos", cos, persistent=False)
        self.register_buffer("sin", sin, persistent=False)

    def forward(self, ids):
        t = ids.shape[1]
        mask = torch.full((t, t), float("-inf")).triu(1)
        x = self.embed(ids)
        for block in self.blocks:
            x = block(x, self.cos[:t], self.sin[:t], mask)
        return self.output(rms_norm(x, self.norm))

    def gguf_tensors(self):
        """(GGUF name, tensor) in llama.cpp's order; a torch (out, in) matrix is GGUF dims [in, out]."""
        yield "token_embd.weight", self.embed.weight
        for i, b in enumerate(self.blocks):
            yield f"blk.{i}.attn_norm.weight", b.attn_norm
            yield f"blk.{i}.attn_q.weight", b.wq.weight
            yield f"blk.{i}.attn_k.weight", b.wk.weight
            yield f"blk.{i}.attn_v.weight", b.wv.weight
            yield f"blk.{i}.attn_output.weight", b.wo.weight
            yield f"blk.{i}.ffn_norm.weight", b.ffn_norm
            yield f"blk.{i}.ffn_gate.weight", b.gate.weight
            yield f"blk.{i}.ffn_up.weight", b.up.weight
            yield f"blk.{i}.ffn_down.weight", b.down.weight
        yield "output_norm.weight", self.norm
        yield "output.weight", self.output.weight


def load(work, name):
    ids = np.fromfile(os.path.join(work, f"{name}.tokens"), dtype="<u2").astype(np.int64)
    index = np.fromfile(os.path.join(work, f"{name}.index"), dtype="<i4").reshape(-1, 3)
    return ids, index


def batches(index, tokens_per_batch, rng):
    """Examples of similar length together (little padding), batches in random order."""
    order = rng.permutation(len(index))
    # Sort within windows of 64 batches' worth, so batches stay random but lengths match inside one.
    window = 2048
    out = []
    for w in range(0, len(order), window):
        chunk = sorted(order[w : w + window], key=lambda i: index[i, 2])
        batch, longest = [], 0
        for i in chunk:
            longest2 = max(longest, index[i, 2])
            if batch and longest2 * (len(batch) + 1) > tokens_per_batch:
                out.append(batch)
                batch, longest2 = [], index[i, 2]
            batch.append(i)
            longest = longest2
        if batch:
            out.append(batch)
    rng.shuffle(out)
    return out


def make_batch(ids, index, batch):
    # Lengths rounded up to 16 keep the set of tensor shapes small (the allocator reuses buffers).
    t = -(-int(max(index[i, 2] for i in batch)) // 16) * 16
    x = torch.zeros((len(batch), t), dtype=torch.long)
    y = torch.full((len(batch), t), -100, dtype=torch.long)
    for row, i in enumerate(batch):
        start, prompt, total = (int(v) for v in index[i])
        seq = torch.from_numpy(ids[start : start + total])
        x[row, :total] = seq
        # Position p predicts token p + 1; only completion tokens are targets.
        y[row, prompt - 1 : total - 1] = seq[prompt:total]
    return x, y


def evaluate(model, ids, index, count=400):
    model.eval()
    losses, tokens = 0.0, 0
    with torch.no_grad():
        for s in range(0, min(count, len(index)), 50):
            batch = list(range(s, min(s + 50, count, len(index))))
            x, y = make_batch(ids, index, batch)
            logits = model(x)
            losses += F.cross_entropy(logits.view(-1, logits.shape[-1]), y.view(-1), reduction="sum").item()
            tokens += int((y != -100).sum())
    model.train()
    return losses / max(1, tokens)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", default="training/planner/work")
    parser.add_argument("--steps", type=int, default=3200)
    parser.add_argument("--tokens-per-batch", type=int, default=4096)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=1)
    # One thread: on the shared two-core machine, two OpenMP threads ran slower whenever another process
    # held a core (1.0-1.4 s against 1.6-4.6 s per step measured side by side).
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--checkpoint-every", type=int, default=250)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    train_ids, train_index = load(args.work, "train")
    eval_ids, eval_index = load(args.work, "eval")
    with open(os.path.join(args.work, "vocab.jsonl")) as f:
        learned = json.loads(f.readline())
    vocab = 3 + 256 + len(learned["chars"]) + len(learned["merges"])
    model = Model(vocab, ARCH)
    params = sum(p.numel() for p in model.parameters())
    print(f"model: {params / 1e6:.2f} M parameters, vocabulary {vocab}, {ARCH}", flush=True)

    decay = [p for p in model.parameters() if p.dim() == 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}],
        lr=args.lr,
        betas=(0.9, 0.98),
    )
    warmup = 100
    schedule = lambda step: min(1.0, (step + 1) / warmup) * (
        0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, step / args.steps)))
    )
    started = time.time()
    step, epoch, seen = 0, 0, 0
    while step < args.steps:
        for batch in batches(train_index, args.tokens_per_batch, rng):
            if step >= args.steps:
                break
            for group in optimizer.param_groups:
                group["lr"] = args.lr * schedule(step)
            x, y = make_batch(train_ids, train_index, batch)
            logits = model(x)
            loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), y.view(-1))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            step += 1
            seen += len(batch)
            if step % args.checkpoint_every == 0 and step < args.steps:
                save(model, args.work)
            if step % 100 == 0 or step == 1:
                elapsed = time.time() - started
                print(
                    f"step {step}/{args.steps} epoch {epoch} examples {seen} loss {loss.item():.4f} "
                    f"lr {args.lr * schedule(step):.2e} {elapsed:.0f} s",
                    flush=True,
                )
        epoch += 1
    print(f"eval loss (completion tokens, 400 test examples): {evaluate(model, eval_ids, eval_index):.4f}")
    print(f"trained in {time.time() - started:.0f} s", flush=True)
    save(model, args.work)


def save(model, work):
    """weights.bin + weights.jsonl, written beside and renamed, so a reader never sees half a file."""
    lines, offset = [], 0
    with open(os.path.join(work, "weights.bin.partial"), "wb") as f:
        for name, tensor in model.gguf_tensors():
            values = tensor.detach().contiguous().numpy().astype("<f4")
            f.write(values.tobytes())
            dims = list(reversed(values.shape))
            lines.append(json.dumps({"name": name, "dims": dims, "offset": offset}))
            offset += values.size
    with open(os.path.join(work, "weights.jsonl.partial"), "w") as f:
        f.write("\n".join(lines + [json.dumps({"architecture": model.arch})]) + "\n")
    os.replace(os.path.join(work, "weights.bin.partial"), os.path.join(work, "weights.bin"))
    os.replace(os.path.join(work, "weights.jsonl.partial"), os.path.join(work, "weights.jsonl"))


if __name__ == "__main__":
    main()
