#!/usr/bin/env python3
"""Independent reference for Shammah's Hugging Face decoder (numpy only, float64, no KV cache).

Rebuilds the tiny models TinyHfModel.java writes -- the same weight formula, the same shapes -- runs the
Llama/Qwen2 forward pass as transformers defines it (RMSNorm, rotate-half rotary embeddings, grouped-query
attention, SwiGLU), decodes greedily from fixed prompts by full recomputation, and writes golden.json beside
this file. CI only compares against golden.json; run this once by hand after changing the fixture:

    python3 src/test/resources/hf/reference.py
"""
import json
import os

import numpy as np

HIDDEN, LAYERS, HEADS, KV_HEADS, HEAD_DIM, INTER, VOCAB = 16, 2, 4, 2, 4, 32, 48
EPS, THETA = 1e-6, 10000.0
PROMPTS = [[3, 4, 7, 8, 12, 3, 5], [3, 6, 20, 21, 3, 4, 9, 10, 11, 3, 5], [5]]
STEPS = 12


def value(name, i):
    seed = 0
    for b in name.encode("utf-8"):
        seed = (seed * 31 + b) % 4294967296
    x = (i * 2654435761 + seed * 40503) % 4294967296
    x = ((x ^ (x >> 13)) * 1274126177) % 4294967296
    u = x / 4294967296.0 - 0.5
    if name.endswith("norm.weight"):
        return np.float32(1.0 + 0.2 * u)
    return np.float32(u * 0.8)


def tensor(name, *shape):
    n = int(np.prod(shape))
    return np.array([value(name, i) for i in range(n)], dtype=np.float32).astype(np.float64).reshape(shape)


def weights(layout):
    q, kv = HEADS * HEAD_DIM, KV_HEADS * HEAD_DIM
    w = {"embed": tensor("model.embed_tokens.weight", VOCAB, HIDDEN), "layers": []}
    for l in range(LAYERS):
        p = "model.layers.%d." % l
        layer = {
            "in": tensor(p + "input_layernorm.weight", HIDDEN),
            "q": tensor(p + "self_attn.q_proj.weight", q, HIDDEN),
            "k": tensor(p + "self_attn.k_proj.weight", kv, HIDDEN),
            "v": tensor(p + "self_attn.v_proj.weight", kv, HIDDEN),
            "o": tensor(p + "self_attn.o_proj.weight", HIDDEN, q),
            "post": tensor(p + "post_attention_layernorm.weight", HIDDEN),
            "gate": tensor(p + "mlp.gate_proj.weight", INTER, HIDDEN),
            "up": tensor(p + "mlp.up_proj.weight", INTER, HIDDEN),
            "down": tensor(p + "mlp.down_proj.weight", HIDDEN, INTER),
        }
        if layout == "qwen2":
            layer["qb"] = tensor(p + "self_attn.q_proj.bias", q)
            layer["kb"] = tensor(p + "self_attn.k_proj.bias", kv)
            layer["vb"] = tensor(p + "self_attn.v_proj.bias", kv)
        w["layers"].append(layer)
    w["norm"] = tensor("model.norm.weight", HIDDEN)
    w["head"] = w["embed"] if layout == "qwen2" else tensor("lm_head.weight", VOCAB, HIDDEN)
    return w


def rms(x, g):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + EPS) * g


def rotate_half(x):
    h = x.shape[-1] // 2
    return np.concatenate([-x[..., h:], x[..., :h]], axis=-1)


def forward(w, ids):
    t = len(ids)
    x = w["embed"][ids]
    inv = 1.0 / (THETA ** (np.arange(0, HEAD_DIM, 2) / HEAD_DIM))
    freqs = np.outer(np.arange(t), inv)
    emb = np.concatenate([freqs, freqs], axis=-1)
    cos, sin = np.cos(emb), np.sin(emb)
    mask = np.triu(np.full((t, t), -np.inf), 1)
    for L in w["layers"]:
        h = rms(x, L["in"])
        q = h @ L["q"].T + L.get("qb", 0)
        k = h @ L["k"].T + L.get("kb", 0)
        v = h @ L["v"].T + L.get("vb", 0)
        q = q.reshape(t, HEADS, HEAD_DIM).transpose(1, 0, 2)
        k = k.reshape(t, KV_HEADS, HEAD_DIM).transpose(1, 0, 2)
        v = v.reshape(t, KV_HEADS, HEAD_DIM).transpose(1, 0, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = np.repeat(k, HEADS // KV_HEADS, axis=0)
        v = np.repeat(v, HEADS // KV_HEADS, axis=0)
        s = q @ k.transpose(0, 2, 1) / np.sqrt(HEAD_DIM) + mask
        s = np.exp(s - s.max(axis=-1, keepdims=True))
        s = s / s.sum(axis=-1, keepdims=True)
        a = (s @ v).transpose(1, 0, 2).reshape(t, HEADS * HEAD_DIM)
        x = x + a @ L["o"].T
        m = rms(x, L["post"])
        g = m @ L["gate"].T
        x = x + ((g / (1 + np.exp(-g))) * (m @ L["up"].T)) @ L["down"].T
    return rms(x, w["norm"]) @ w["head"].T


def greedy(w, prompt):
    ids = list(prompt)
    first = None
    for _ in range(STEPS):
        logits = forward(w, ids)[-1]
        if first is None:
            first = logits
        ids.append(int(np.argmax(logits)))
    return ids[len(prompt):], first


def main():
    golden = {}
    for layout in ("llama", "qwen2"):
        w = weights(layout)
        golden[layout] = []
        for prompt in PROMPTS:
            tokens, first = greedy(w, prompt)
            golden[layout].append({"prompt": prompt, "tokens": tokens,
                                   "first_logits": [round(float(v), 6) for v in first]})
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.json")
    with open(out, "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
