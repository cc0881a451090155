#!/usr/bin/env python3
"""Where the signing route's CPU goes beyond the bare app's, per request: two `perf script` dumps (stacks sampled at a
known rate while wrk loaded each server) turned into microseconds of CPU per request, by library and by leaf frame,
sorted by the difference. Usage: perf-diff.py SIGN.txt SIGN_RPS BARE.txt BARE_RPS HZ SECONDS [ROWS]"""
import collections, re, sys

def stacks(path):
    for block in open(path, errors="replace").read().split("\n\n"):
        frames = [m.group(1) for m in (re.match(r"\s*[0-9a-f]+\s+(.*)", l) for l in block.strip().split("\n")[1:]) if m]
        if frames:
            yield frames[0]  # the leaf: where the CPU was

def library(frame):
    m = re.match(r".*\((.*)\)$", frame)
    name = m.group(1).rsplit("/", 1)[-1] if m else "?"
    return "JIT-compiled .NET code" if name.startswith(("perf-", "memfd:")) else name

def leaf(frame):
    m = re.match(r"(.*) \((.*)\)$", frame)
    symbol, dso = (m.group(1), m.group(2)) if m else (frame, "?")
    if symbol.startswith("[unknown]") or re.fullmatch(r"[0-9a-fx]+", symbol.split(" ")[0] or "0"):
        return "(unresolved) " + library(frame)
    symbol = re.sub(r"\[(OptimizedTier1|Optimized|PreJIT|QuickJitted|OptimizedTier1OSR)\]", "", symbol)
    symbol = re.sub(r"\(.*", "", symbol)
    symbol = re.sub(r"^((instance|class|valuetype|bool|void|int32|int64|string|native int|object|!!0)\s+)+", "", symbol)
    symbol = re.sub(r"\[[\w.]+\]\s*", "", symbol)
    return ("[kernel] " if "kernel" in dso else "") + symbol.strip()[:110]

def main(sign, sign_rps, bare, bare_rps, hz, seconds, rows=30):
    us = lambda rps: 1e6 / float(hz) / (float(rps) * float(seconds))  # CPU microseconds per request, per sample
    a, b = list(stacks(sign)), list(stacks(bare))
    ua, ub = us(sign_rps), us(bare_rps)
    print(f"CPU per request: signing {len(a) * ua:.2f} us, bare {len(b) * ub:.2f} us, difference {len(a) * ua - len(b) * ub:+.2f} us")
    for title, key, limit in (("by library", library, 12), ("by leaf frame", leaf, int(rows))):
        ca, cb = collections.Counter(map(key, a)), collections.Counter(map(key, b))
        print(f"\n{title} (us per request: signing, bare, difference)")
        for k in sorted(set(ca) | set(cb), key=lambda k: -(ca[k] * ua - cb[k] * ub))[:limit]:
            print(f"  {ca[k] * ua:6.3f} {cb[k] * ub:6.3f} {ca[k] * ua - cb[k] * ub:+6.3f}  {k}")

if __name__ == "__main__":
    main(*sys.argv[1:])
