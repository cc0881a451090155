#!/usr/bin/env python3
"""The heaviest frames of a dotnet-trace CPU sample (speedscope JSON): inclusive share of the request threads' busy
time for WxShare's and ASP.NET Core's frames, and the top exclusive frames. Idle waits are left out."""
import json, sys
from collections import defaultdict

IDLE = ("WaitHandle", "LowLevelLifoSemaphore", "Monitor.Wait", "Thread.Sleep", "epoll_wait", "SocketAsyncEngine.EventLoop",
        "Interop+Sys.WaitForSocketEvents", "PortableThreadPool+GateThread", "TimerQueue.TimerThread", "WaitForSignal")

def main(path, top=40):
    doc = json.load(open(path))
    frames = [f["name"] for f in doc["shared"]["frames"]]
    inclusive, exclusive = defaultdict(float), defaultdict(float)
    busy = 0.0
    for profile in doc["profiles"]:
        stack, last = [], None
        for event in profile.get("events", []):
            at = event["at"]
            if stack and last is not None:
                span = at - last
                names = [frames[i] for i in stack]
                if not any(any(w in n for w in IDLE) for n in names):
                    busy += span
                    exclusive[names[-1]] += span
                    for n in set(names):
                        inclusive[n] += span
            last = at
            if event["type"] == "O":
                stack.append(event["frame"])
            elif stack:
                stack.pop()
    print(f"busy samples: {busy:.0f} ms")
    print("inclusive (share of busy time), WxShare and request pipeline frames:")
    keep = lambda n: any(k in n for k in ("WxShare", "Microsoft.AspNetCore.Http", "Routing", "EndpointFilter", "Metrics", "OpenTelemetry", "Hosting", "Kestrel", "System.Security.Cryptography", "Uri", "JsonSerializer", "Query"))
    for name, t in sorted(((n, t) for n, t in inclusive.items() if keep(n)), key=lambda x: -x[1])[:top]:
        print(f"{100 * t / busy:6.1f}%  {name[:150]}")
    print("exclusive (top frames):")
    for name, t in sorted(exclusive.items(), key=lambda x: -x[1])[:top]:
        print(f"{100 * t / busy:6.1f}%  {name[:150]}")

if __name__ == "__main__":
    main(sys.argv[1])
