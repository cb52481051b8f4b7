#!/usr/bin/env python3
"""Paired added latency as a Python client sees it, for `scripts/bench side-by-side`.

The Java client's method with Python's standard `http.client` (what the Anthropic Python SDK's transport stack
reduces to on one keep-alive connection): a connection to the fake upstream (direct) and one to the target, used in
turn, which goes first alternating; every prompt fresh. Prints one JSON object: the samples in nanoseconds (from
writing the request to reading the answer's last byte), the errors, the first of them and Python's version.
Standard library only.

    paired-latency.py --direct-port P --target-port P [--path /v1/messages] [--header k:v ...]
                      [--warmup 3000] [--pairs 600] [--expect TEXT]
"""
import argparse
import http.client
import json
import random
import sys
import time

WORDS = ["amber", "basalt", "cedar", "delta", "ember", "fjord", "garnet", "harbor", "iris", "juniper", "kelp",
         "lagoon", "meadow", "nectar", "onyx", "prairie", "quartz", "river", "sierra", "tundra"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--direct-port", type=int, required=True)
    p.add_argument("--target-port", type=int, required=True)
    p.add_argument("--path", default="/v1/messages")
    p.add_argument("--header", action="append", default=[])
    p.add_argument("--warmup", type=int, default=3000)
    p.add_argument("--pairs", type=int, default=600)
    p.add_argument("--expect", default="", help="text every answer must contain (the fake's answer)")
    a = p.parse_args()
    headers = {"content-type": "application/json"}
    for h in a.header:
        k, _, v = h.partition(":")
        headers[k.strip()] = v.strip()
    rnd = random.Random()
    run = rnd.randrange(1 << 30)
    conns = {"direct": http.client.HTTPConnection("127.0.0.1", a.direct_port),
             "target": http.client.HTTPConnection("127.0.0.1", a.target_port)}
    ports = {"direct": a.direct_port, "target": a.target_port}
    samples = {"direct": [], "target": []}
    errors, first_error, in_a_row = 0, None, 0
    counter = 0
    for i in range(a.warmup + a.pairs):
        order = ("direct", "target") if i % 2 == 0 else ("target", "direct")
        for side in order:
            counter += 1
            words = " ".join(rnd.choice(WORDS) for _ in range(5))
            body = json.dumps({"model": "claude-bench", "max_tokens": 16, "messages": [
                {"role": "user", "content": f"Python question {run}-{counter}: {words}?"}]}).encode()
            c = conns[side]
            try:
                start = time.perf_counter_ns()
                c.request("POST", a.path, body, headers)
                r = c.getresponse()
                data = r.read()
                took = time.perf_counter_ns() - start
                ok = r.status == 200 and a.expect.encode() in data
                problem = None if ok else f"HTTP {r.status} {data[:160]!r}"
            except (OSError, http.client.HTTPException) as e:
                c.close()
                conns[side] = http.client.HTTPConnection("127.0.0.1", ports[side])
                problem = f"{type(e).__name__}: {e}"
            if problem is None:
                in_a_row = 0
                if i >= a.warmup:
                    samples[side].append(took)
                continue
            errors += 1
            first_error = first_error or (("direct: " if side == "direct" else "") + problem)
            in_a_row += 1
            if in_a_row >= 20:
                report(samples, errors, first_error + f" (block stopped after {in_a_row} errors in a row)")
                return
    report(samples, errors, first_error)


def report(samples, errors, first_error):
    json.dump({"direct": samples["direct"], "target": samples["target"], "errors": errors,
               "first_error": first_error, "python": sys.version.split()[0]}, sys.stdout)


if __name__ == "__main__":
    main()
