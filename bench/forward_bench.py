"""The forward section of `make bench`: Strata's forward pass beside ONNX Runtime's.

For each model made by make_forward_models.py (the seed model, MobileNetV2, ResNet50; the
`.keras` for Strata, the Keras-exported `.onnx` for ONNX Runtime):

1. Correctness first, so a fast wrong model never passes: `strata predict` on the fixed
   input and ONNX Runtime on the same input are each compared with Keras's own output
   (elementwise |got - keras| <= rtol * |keras| + atol, rtol 1e-3, atol 1e-6 x max |keras|;
   the max absolute and relative errors are printed). A model that fails is not timed and
   the script exits 1 at the end.
2. Timing at batch 1 for each thread count: `strata time MODEL --threads N --warmup W
   --runs R --json` (its median_ms, min_ms, p90_ms, peak_rss_bytes) and ONNX Runtime
   (InferenceSession with intra_op_num_threads=N, inter_op_num_threads=1, sequential
   execution, ORT_ENABLE_ALL graph optimisations; the same W warm-up and R timed runs of
   session.run; median), one right after the other, the order alternating from one
   measurement to the next so machine load affects both alike. With --rounds K each pair
   is measured K times and the medians of the rounds' medians are reported.

Prints one table: model, threads, Strata median ms, ORT median ms, ratio Strata/ORT,
Strata peak RSS MB, and whether every ratio meets the target (<= 1.5). A missed target is
reported, not an error, unless --strict.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnxruntime as ort

MODELS = ["seed_resnet8", "mobilenetv2", "resnet50"]
TARGET = 1.5
RTOL = 1e-3


def compare(got, want, atol_of_max=1e-6):
    """(ok, max abs error, max relative error) of got against want (Keras's or ORT's):
    |got - want| <= RTOL |want| + atol_of_max * max |want| elementwise."""
    if got.shape != want.shape:
        return False, float("inf"), float("inf")
    got = got.astype(np.float64)
    want = want.astype(np.float64)
    diff = np.abs(got - want)
    atol = atol_of_max * float(np.max(np.abs(want)))
    ok = bool(np.all(diff <= RTOL * np.abs(want) + atol)) and bool(np.all(np.isfinite(got)))
    rel = float(np.max(diff / np.maximum(np.abs(want), atol if atol > 0 else 1e-30)))
    return ok, float(np.max(diff)), rel


def session(path, threads):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    return ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])


def ort_run(sess, x):
    return sess.run(None, {sess.get_inputs()[0].name: x})[0]


def time_ort(sess, x, warmup, runs):
    feed = {sess.get_inputs()[0].name: x}
    for _ in range(warmup):
        sess.run(None, feed)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        sess.run(None, feed)
        times.append((time.perf_counter() - start) * 1000.0)
    return float(np.median(times))


def time_strata(strata, model, threads, warmup, runs, budget):
    cmd = [strata, "time", model, "--threads", str(threads), "--warmup", str(warmup),
           "--runs", str(runs), "--json"]
    if budget:
        cmd += ["--budget", str(budget)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.strip()}")
    return json.loads(done.stdout)


def check(strata, cache, name, tmp):
    """Runs both engines on the fixed input and compares each with Keras's output."""
    model = os.path.join(cache, f"{name}.keras")
    x_path = os.path.join(cache, f"{name}.input.npy")
    want = np.load(os.path.join(cache, f"{name}.output.npy"))
    x = np.load(x_path)
    good = True
    out = os.path.join(tmp, f"{name}.strata.npy")
    done = subprocess.run([strata, "predict", model, "--input", x_path, "--output", out],
                          capture_output=True, text=True)
    if done.returncode != 0:
        print(f"  {name}: Strata FAILED: strata predict exited {done.returncode}: {done.stderr.strip()}")
        good = False
    else:
        ok, err, rel = compare(np.load(out), want)
        print(f"  {name}: Strata vs Keras: max abs error {err:.3g}, max rel error {rel:.3g} -> {'ok' if ok else 'WRONG'}")
        good &= ok
    ok, err, rel = compare(ort_run(session(os.path.join(cache, f"{name}.onnx"), 1), x), want)
    print(f"  {name}: ORT    vs Keras: max abs error {err:.3g}, max rel error {rel:.3g} -> {'ok' if ok else 'WRONG'}")
    return good and ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strata", default=".build/release/strata")
    parser.add_argument("--cache", default=".bench-cache/forward")
    parser.add_argument("--models", nargs="*", choices=MODELS, default=MODELS)
    parser.add_argument("--threads", nargs="*", type=int, default=[1, 2])
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--budget", type=float, default=40.0,
                        help="seconds passed to strata time --budget (a guard for slow engines)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a ratio misses the target")
    args = parser.parse_args()

    print(f"Forward pass, batch 1: Strata ({args.strata}) vs ONNX Runtime {ort.__version__} "
          f"({args.warmup} warm-up, {args.runs} timed runs, {args.rounds} round(s))")
    print("Correctness (vs Keras's own output, rtol 1e-3):")
    wrong = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.models:
            try:
                if not check(args.strata, args.cache, name, tmp):
                    wrong.append(name)
            except Exception as e:  # a broken export or file is a failure, not a crash
                print(f"  {name}: FAILED: {e}")
                wrong.append(name)

    rows = []
    measurement = 0
    for name in args.models:
        if name in wrong:
            for threads in args.threads:
                rows.append((name, threads, None, None, None, "not timed: wrong or failed output"))
            continue
        model = os.path.join(args.cache, f"{name}.keras")
        x = np.load(os.path.join(args.cache, f"{name}.input.npy"))
        for threads in args.threads:
            sess = session(os.path.join(args.cache, f"{name}.onnx"), threads)
            strata_ms, ort_ms, rss = [], [], []
            note = ""
            try:
                for _ in range(args.rounds):
                    # Alternate which engine goes first so load drifts hit both alike.
                    order = ("strata", "ort") if measurement % 2 == 0 else ("ort", "strata")
                    measurement += 1
                    for engine in order:
                        if engine == "ort":
                            ort_ms.append(time_ort(sess, x, args.warmup, args.runs))
                        else:
                            t = time_strata(args.strata, model, threads, args.warmup, args.runs, args.budget)
                            strata_ms.append(t["median_ms"])
                            if t.get("peak_rss_bytes") is not None:
                                rss.append(t["peak_rss_bytes"])
                            if t["runs"] < t["runs_requested"]:
                                note = f"Strata: {t['runs']} of {t['runs_requested']} runs (budget)"
                            if t["threads"] != threads:
                                note = f"Strata used {t['threads']} thread(s) ({t['backend']})"
            except Exception as e:
                print(f"  {name} threads {threads}: FAILED: {e}")
                wrong.append(name)
                rows.append((name, threads, None, None, None, "timing failed"))
                continue
            s = statistics.median(strata_ms)
            o = statistics.median(ort_ms)
            rows.append((name, threads, s, o, s / o, max(rss) / 1e6 if rss else None, note))
            print(f"  timed {name}, {threads} thread(s): Strata {s:.2f} ms, ORT {o:.2f} ms", flush=True)

    print()
    header = f"{'model':<14} {'threads':>7} {'Strata ms':>10} {'ORT ms':>9} {'Strata/ORT':>10} {'Strata peak RSS MB':>18}  note"
    print(header)
    print("-" * len(header))
    missed = 0
    timed = 0
    for row in rows:
        name, threads, s, o, ratio = row[:5]
        if s is None:
            print(f"{name:<14} {threads:>7} {'-':>10} {'-':>9} {'-':>10} {'-':>18}  {row[5]}")
            continue
        rss, note = row[5], row[6]
        timed += 1
        if ratio > TARGET:
            missed += 1
            note = (note + "; " if note else "") + f"above the {TARGET} target"
        rss_text = f"{rss:.1f}" if rss is not None else "n/a"
        print(f"{name:<14} {threads:>7} {s:>10.2f} {o:>9.2f} {ratio:>10.2f} {rss_text:>18}  {note}")
    print()
    if wrong:
        print(f"FAILED: wrong or failed output for {', '.join(sorted(set(wrong)))} (see above)")
    print(f"Target Strata/ORT <= {TARGET}: {'met' if missed == 0 and timed and not wrong else 'NOT met'} "
          f"({timed - missed} of {len(rows)} measurements within it)")
    if wrong:
        return 1
    return 1 if (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
