"""Reference timing for `make bench`: Keras's own diagram tool on the same model.

Times keras.utils.plot_model (pydot + the Graphviz `dot` program, with shapes and layer
names) on a model config, the nearest thing Keras has to Strata's layer diagram. Prints the
median of rounds. Needs keras, tensorflow-cpu, pydot and the `dot` binary (Debian graphviz).
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")

import keras  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with open(args.config) as fh:
        model = keras.models.model_from_json(fh.read())
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.rounds):
            start = time.perf_counter()
            keras.utils.plot_model(model, to_file=os.path.join(tmp, f"m{i}.pdf"), show_shapes=True, show_layer_names=True)
            keras.utils.plot_model(model, to_file=os.path.join(tmp, f"m{i}.svg"), show_shapes=True, show_layer_names=True)
            times.append(time.perf_counter() - start)
    print(f"Keras {keras.__version__} plot_model (pydot + dot) PDF + SVG of {os.path.basename(os.path.dirname(args.config))}: "
          f"median {statistics.median(times):.2f} s over {args.rounds} rounds (model already built)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
