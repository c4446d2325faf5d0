"""Writes a Keras 3 functional config of N residual blocks (Dense, Activation, Add): 3N+1
layers, for timing `strata render` on a model of 2,000+ layers. No Keras needed."""
import json
import sys


def tensor(name):
    return {"class_name": "__keras_tensor__", "config": {"shape": [None, 8], "dtype": "float32", "keras_history": [name, 0, 0]}}


def main():
    blocks = int(sys.argv[1]) if len(sys.argv) > 1 else 700
    layers = [{"class_name": "InputLayer", "config": {"batch_shape": [None, 8], "name": "x"}, "name": "x", "inbound_nodes": []}]
    last = "x"
    for b in range(blocks):
        d, a, s = f"dense_{b}", f"act_{b}", f"add_{b}"
        layers.append({"class_name": "Dense", "config": {"name": d, "units": 8}, "name": d, "inbound_nodes": [{"args": [tensor(last)], "kwargs": {}}]})
        layers.append({"class_name": "Activation", "config": {"name": a, "activation": "relu"}, "name": a, "inbound_nodes": [{"args": [tensor(d)], "kwargs": {}}]})
        layers.append({"class_name": "Add", "config": {"name": s}, "name": s, "inbound_nodes": [{"args": [[tensor(last), tensor(a)]], "kwargs": {}}]})
        last = s
    json.dump({"class_name": "Functional", "config": {"name": "deep_chain", "layers": layers,
               "input_layers": [["x", 0, 0]], "output_layers": [[last, 0, 0]]}}, sys.stdout)


if __name__ == "__main__":
    main()
