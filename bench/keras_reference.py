"""Reference timing for `make bench`: Keras itself reading the same configs.

For every model.json under the folders: keras.models.model_from_json (which builds the
layer graph and infers shapes) plus count_params(), timed like strata-bench (median of
rounds). Run by `make bench` inside a virtual environment with keras and tensorflow-cpu.
"""
import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")

import keras  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    files = sorted(
        os.path.join(root, f)
        for folder in args.folders
        for root, _, names in os.walk(folder)
        for f in names
        if f == "model.json"
    )
    totals = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for path in files:
            with open(path) as fh:
                model = keras.models.model_from_json(fh.read())
            model.count_params()
            del model
            keras.backend.clear_session()
        totals.append(time.perf_counter() - start)
    print(f"Keras {keras.__version__}: model_from_json + count_params on {len(files)} configs: "
          f"median {statistics.median(totals):.3f} s over {args.rounds} rounds (min {min(totals):.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
