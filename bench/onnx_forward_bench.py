"""Strata's forward pass on ONNX files beside ONNX Runtime's, at batch 1.

For each model in the cache folder (default `.bench-cache/onnx/`, filled by
bench/fetch_onnx_bench_models.py: `<name>.onnx`, `<name>.input.npy`, `<name>.output.npy`
holding ONNX Runtime's output 0 on that input):

1. Correctness first, so a fast wrong model never passes: `strata predict MODEL.onnx --input
   MODEL.input.npy --output-dir TMP`, then TMP/output_0.npy against the stored ORT output
   (elementwise |got - want| <= 1e-3 |want| + 1e-4 max |want|; the max absolute and relative
   errors are printed). A model Strata cannot run (non-zero exit) is reported with the first
   line of Strata's stderr as "not runnable"; one whose output is off as "wrong output".
   Neither is timed on Strata's side; ONNX Runtime is still timed so its numbers are there.
2. Timing at batch 1 for each thread count (default 1 and 2), as bench/forward_bench.py does:
   `strata time MODEL.onnx --threads N --warmup W --runs R --json` (median_ms, min_ms,
   p90_ms, peak_rss_bytes; `--input-shape` with the stored input's shape when the model's
   input has open dimensions) and ONNX Runtime (intra_op_num_threads=N,
   inter_op_num_threads=1, sequential, ORT_ENABLE_ALL; the same W warm-up and R timed runs;
   median) one right after the other, the order alternating from one measurement to the next.
   With --rounds K each pair is measured K times and the medians of the rounds' medians are
   reported.

Prints one table (model, threads, Strata median ms, ORT median ms, Strata/ORT, Strata peak
RSS MB) and a last line saying whether every ratio is within the target (<= 1.2) and which
models were not runnable. Exits 0 unless --strict (then 1 when a model is not runnable, wrong
or above the target).

Run from the repository root: `.venv-bench/bin/python bench/onnx_forward_bench.py
[--strata .build/release/strata] [--rounds 3]`.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

import numpy as np
import onnxruntime as ort

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from forward_bench import compare as forward_compare, session, time_ort  # noqa: E402  (the same test, ORT settings and timing loop)

ORDER = ["mobilenetv2", "resnet50", "yolov8n", "ppocrv4_det"]
TARGET = 1.2
RTOL = 1e-3
ATOL_OF_MAX = 1e-4


def compare(got, want):
    """(ok, max abs error, max relative error) of got against ORT's want (forward_bench's test,
    with atol 1e-4 x max |want| as for the ONNX fixtures)."""
    return forward_compare(got, want, ATOL_OF_MAX)


def first_line(text):
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else "(no message)"


def models_in(cache, only):
    names = sorted({f[:-5] for f in os.listdir(cache) if f.endswith(".onnx")
                    and os.path.exists(os.path.join(cache, f[:-5] + ".input.npy"))
                    and os.path.exists(os.path.join(cache, f[:-5] + ".output.npy"))},
                   key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    if only:
        missing = [n for n in only if n not in names]
        if missing:
            raise SystemExit(f"not in {cache}: {', '.join(missing)} (run bench/fetch_onnx_bench_models.py)")
        names = [n for n in names if n in only]
    return names


def check(strata, cache, name, tmp, timeout):
    """Returns (status, message): status "ok", "wrong" or "not runnable"."""
    model = os.path.join(cache, f"{name}.onnx")
    x_path = os.path.join(cache, f"{name}.input.npy")
    want = np.load(os.path.join(cache, f"{name}.output.npy"))
    out_dir = os.path.join(tmp, name)
    os.makedirs(out_dir, exist_ok=True)
    cmd = [strata, "predict", model, "--input", x_path, "--output-dir", out_dir]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "not runnable", f"strata predict timed out after {timeout} s"
    except OSError as e:
        return "not runnable", f"cannot start {strata}: {e}"
    if done.returncode != 0:
        return "not runnable", f"strata predict exited {done.returncode}: {first_line(done.stderr)}"
    out = os.path.join(out_dir, "output_0.npy")
    if not os.path.exists(out):
        return "not runnable", "strata predict wrote no output_0.npy"
    got = np.load(out)
    ok, err, rel = compare(got, want)
    shape = "" if got.shape == want.shape else f", shape {got.shape} vs {want.shape}"
    return ("ok" if ok else "wrong"), f"max abs error {err:.3g}, max rel error {rel:.3g}{shape}"


def open_dims(sess):
    return any(not isinstance(d, int) for d in sess.get_inputs()[0].shape)


def time_strata(strata, model, threads, warmup, runs, budget, input_shape, timeout):
    cmd = [strata, "time", model, "--threads", str(threads), "--warmup", str(warmup),
           "--runs", str(runs), "--json"]
    if budget:
        cmd += ["--budget", str(budget)]
    if input_shape:
        cmd += ["--input-shape", ",".join(str(d) for d in input_shape)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"strata time exited {done.returncode}: {first_line(done.stderr)}")
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strata", default=".build/release/strata")
    parser.add_argument("--cache", default=".bench-cache/onnx")
    parser.add_argument("--models", nargs="*", help="names in the cache (default: all)")
    parser.add_argument("--threads", nargs="*", type=int, default=[1, 2])
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds passed to strata time --budget (a guard for slow engines)")
    parser.add_argument("--timeout", type=float, default=900.0,
                        help="seconds before a strata predict / time call is given up")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when a model is not runnable, wrong or above the target")
    args = parser.parse_args()

    names = models_in(args.cache, args.models)
    if not names:
        raise SystemExit(f"no models in {args.cache} (run bench/fetch_onnx_bench_models.py)")
    print(f"ONNX forward pass, batch 1: Strata ({args.strata}) vs ONNX Runtime {ort.__version__} "
          f"({args.warmup} warm-up, {args.runs} timed runs, {args.rounds} round(s))")
    print(f"Correctness (strata predict vs ORT's stored output, |d| <= {RTOL:g}|want| + {ATOL_OF_MAX:g} max|want|):")
    status = {}
    with tempfile.TemporaryDirectory(prefix="strata-onnx-bench-") as tmp:
        for name in names:
            status[name], message = check(args.strata, args.cache, name, tmp, args.timeout)
            label = {"ok": "ok", "wrong": "WRONG", "not runnable": "NOT RUNNABLE"}[status[name]]
            print(f"  {name}: {label}: {message}", flush=True)

    rows = []
    measurement = 0
    for name in names:
        model = os.path.join(args.cache, f"{name}.onnx")
        x = np.load(os.path.join(args.cache, f"{name}.input.npy"))
        for threads in args.threads:
            sess = session(model, threads)
            shape = list(x.shape) if open_dims(sess) else None
            strata_ms, ort_ms, rss = [], [], []
            note = "" if status[name] == "ok" else f"Strata {status[name]}"
            strata_on = status[name] == "ok"
            for _ in range(args.rounds):
                # Alternate which engine goes first so load drifts hit both alike.
                order = ("strata", "ort") if measurement % 2 == 0 else ("ort", "strata")
                measurement += 1
                for engine in order:
                    if engine == "ort":
                        ort_ms.append(time_ort(sess, x, args.warmup, args.runs))
                    elif strata_on:
                        try:
                            t = time_strata(args.strata, model, threads, args.warmup, args.runs,
                                            args.budget, shape, args.timeout)
                        except Exception as e:  # report it and keep timing ORT
                            print(f"  {name} threads {threads}: Strata timing FAILED: {e}")
                            strata_on, strata_ms, note = False, [], "Strata timing failed"
                            status[name] = "not runnable"
                            continue
                        strata_ms.append(t["median_ms"])
                        if t.get("peak_rss_bytes") is not None:
                            rss.append(t["peak_rss_bytes"])
                        if t.get("runs", args.runs) < t.get("runs_requested", args.runs):
                            note = f"Strata: {t['runs']} of {t['runs_requested']} runs (budget)"
                        if t.get("threads", threads) != threads:
                            note = f"Strata used {t['threads']} thread(s) ({t.get('backend', '?')})"
            s = statistics.median(strata_ms) if strata_ms else None
            o = statistics.median(ort_ms)
            rows.append((name, threads, s, o, s / o if s else None, max(rss) / 1e6 if rss else None, note))
            s_text = f"{s:.2f} ms" if s is not None else "-"
            print(f"  timed {name}, {threads} thread(s): Strata {s_text}, ORT {o:.2f} ms", flush=True)

    print()
    header = (f"{'model':<12} {'threads':>7} {'Strata ms':>10} {'ORT ms':>9} {'Strata/ORT':>10} "
              f"{'Strata peak RSS MB':>18}  note")
    print(header)
    print("-" * len(header))
    missed = timed = 0
    for name, threads, s, o, ratio, rss, note in rows:
        if s is None:
            print(f"{name:<12} {threads:>7} {'-':>10} {o:>9.2f} {'-':>10} {'-':>18}  {note}")
            continue
        timed += 1
        if ratio > TARGET:
            missed += 1
            note = (note + "; " if note else "") + f"above the {TARGET} target"
        rss_text = f"{rss:.1f}" if rss is not None else "n/a"
        print(f"{name:<12} {threads:>7} {s:>10.2f} {o:>9.2f} {ratio:>10.2f} {rss_text:>18}  {note}")
    print()
    not_runnable = [n for n in names if status[n] == "not runnable"]
    wrong = [n for n in names if status[n] == "wrong"]
    met = timed == len(rows) and missed == 0
    line = (f"Target Strata/ORT <= {TARGET}: {'met' if met else 'NOT met'} "
            f"({timed - missed} of {len(rows)} measurements within it)")
    line += f"; not runnable: {', '.join(not_runnable) if not_runnable else 'none'}"
    if wrong:
        line += f"; wrong output: {', '.join(wrong)}"
    print(line)
    return 1 if (args.strict and not met) else 0


if __name__ == "__main__":
    sys.exit(main())
