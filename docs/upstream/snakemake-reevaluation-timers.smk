# Minimal reproduction: N independent trivial jobs; count scheduler rounds and timer threads.
import threading, atexit

N = int(config.get("njobs", 300))
timers = [0]
_start = threading.Timer.start
def counting_start(self):
    timers[0] += 1
    _start(self)
threading.Timer.start = counting_start
atexit.register(lambda: print(f"TIMERS STARTED: {timers[0]}", flush=True))

rule all:
    input: expand("out/{i}.txt", i=range(N))

rule one:
    output: "out/{i}.txt"
    shell: "sleep 0.05; touch {output}"
