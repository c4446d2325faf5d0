"""Fetches the ONNX models of the ONNX forward benchmark (bench/onnx_forward_bench.py).

Writes into `.bench-cache/onnx/` (git-ignored; the models are never added to git), for each
model `<name>.onnx`, `<name>.input.npy` (one fixed float32 input at batch 1, from a seeded
generator) and `<name>.output.npy` (ONNX Runtime's output 0 on that input, one thread,
ORT_ENABLE_ALL):

| name        | where it comes from                                                | input (batch 1)          | licence |
| ----------- | ------------------------------------------------------------------ | ------------------------ | ------- |
| mobilenetv2 | copied from `.bench-cache/forward/mobilenetv2.onnx` (Keras 3       | input_layer 1x224x224x3  | made here (keras.applications, weights=None) |
|             | `keras.applications.MobileNetV2(weights=None)`, fixed seed,        | NHWC, N(0,1), copied     |         |
|             | exported by tf2onnx; made by bench/make_forward_models.py)         | from the forward cache   |         |
| resnet50    | torchvision `resnet50(weights=None)` after `torch.manual_seed(0)`, | input 1x3x224x224 NCHW,  | torchvision code BSD-3-Clause; the weights are random, made here |
|             | exported by `torch.onnx.export(opset_version=17, dynamo=False)`    | N(0,1), seed 50          |         |
|             | (BatchNorm folded into Conv as PyTorch exports it) in `.venv-torch`|                          |         |
| yolov8n     | PyPI `nudenet==3.4.2`, file `nudenet/320n.onnx`: an Ultralytics    | images 1x3x640x640,      | wheel metadata says "License: MIT", but the wheel's LICENSE / LICENSE.md are AGPL-3.0 and the ONNX metadata says "AGPL-3.0 License (https://ultralytics.com/license)": treat as AGPL-3.0 |
|             | 8.2.46 YOLOv8n detector export (opset 17, dynamic batch/height/    | U[0,1), seed 8           |         |
|             | width, 18 classes: output0 1x22x8400 at 640x640)                   |                          |         |
| ppocrv4_det | PyPI `rapidocr-onnxruntime==1.4.4`, file                           | x 1x3x640x640, a seeded  | Apache-2.0 (wheel metadata) |
|             | `rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx`           | page of text-like strokes|         |
|             |                                                                    | normalised, seed 4       |         |
|             | (PaddleOCR PP-OCRv4 text detector, paddle2onnx, opset 12)          |                          |         |

No PyPI package was found that ships the COCO `yolov8n.onnx` itself; NudeNet's detector is
the same YOLOv8n network (same layers and shapes but its 18-class head) as Ultralytics
exports it, shipped inside a wheel.

Each wheel is fetched with `pip download --no-deps --only-binary :all: PACKAGE==VERSION` into
a scratch folder; the wheel's and the extracted .onnx's sha256 are checked against the
values below (a mismatch stops the script). The ResNet50 export's sha256 is checked too,
but a mismatch (another torch build) only warns: the file is still used, and its output.npy
is made again from it.

ResNet50 needs torch: the script makes `.venv-torch` (git-ignored) on first use and installs
torch==2.13.0, torchvision==0.28.0, onnx==1.23.2 and numpy with pip. Where a CPU-only torch
wheel is on pip's find-links (this machine: /opt/wheels/torch-2.13.0+cpu) pip takes it
(~1 GB venv); elsewhere plain PyPI torch brings its CUDA libraries (several GB).
torchvision's PyPI wheel is a CUDA build whose compiled ops do not load beside a CPU torch,
so `torchvision.models.resnet` is imported without running `torchvision/__init__.py` (the
model needs none of those ops). If torch cannot be installed or the export fails, the
script falls back to `.bench-cache/forward/resnet50.onnx` (the Keras/tf2onnx export, NHWC)
and says so.

Idempotent: a model whose .onnx has the expected sha256 (for mobilenetv2: the same bytes as
the forward cache's) and whose input.npy equals the seeded input and whose output.npy exists
is left alone; `--force` remakes the .npy files.

Run: `.venv-bench/bin/python bench/fetch_onnx_bench_models.py` from the repository root
(needs onnx, onnxruntime, numpy: the .venv-bench of `make bench-venv`; for mobilenetv2 the
forward cache, made by `bench/make_forward_models.py` if missing).
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

import numpy as np
import onnx
import onnxruntime as ort

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
FORWARD_CACHE = os.path.join(ROOT, ".bench-cache", "forward")
TORCH_VENV = os.path.join(ROOT, ".venv-torch")
TORCH_PIP = ["torch==2.13.0", "torchvision==0.28.0", "onnx==1.23.2", "numpy"]

WHEEL_MODELS = [
    {
        "name": "yolov8n",
        "package": "nudenet==3.4.2",
        "wheel": "nudenet-3.4.2-py3-none-any.whl",
        "wheel_sha256": "5937dbd84e5d8e5de038f08ffea5a1bb50a08475776bf2b4795914ce0eaf0331",
        "path": "nudenet/320n.onnx",
        "sha256": "c15d8273adad2d0a92f014cc69ab2d6c311a06777a55545f2c4eb46f51911f0f",
        "licence": "AGPL-3.0 (wheel LICENSE and Ultralytics model metadata; the wheel's METADATA says MIT)",
        "input_shape": (1, 3, 640, 640),
        "input": ("uniform", 8),
    },
    {
        "name": "ppocrv4_det",
        "package": "rapidocr-onnxruntime==1.4.4",
        "wheel": "rapidocr_onnxruntime-1.4.4-py3-none-any.whl",
        "wheel_sha256": "971d7d5f223a7a808662229df1ef69893809d8457d834e6373d3854bc1782cbf",
        "path": "rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx",
        "sha256": "d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9",
        "licence": "Apache-2.0",
        "input_shape": (1, 3, 640, 640),
        "input": ("text", 4),
    },
]

RESNET50 = {
    "name": "resnet50",
    "sha256": "1bac541959406861fda7fc3d3966533979545f85cd12230952348914fc677241",
    "input_shape": (1, 3, 224, 224),
    "input": ("normal", 50),
}

RESNET50_EXPORT = r'''
import importlib.util, sys, types
import torch
# torchvision's PyPI wheel is a CUDA build: its compiled ops (nms, ...) do not load beside a
# CPU-only torch and torchvision/__init__.py then fails. ResNet50 needs none of them, so the
# package is entered as a bare namespace and only torchvision.models.resnet is imported.
spec = importlib.util.find_spec("torchvision")
pkg = types.ModuleType("torchvision")
pkg.__path__ = list(spec.submodule_search_locations)
pkg.__spec__ = spec
sys.modules["torchvision"] = pkg
from torchvision.models import resnet
torch.manual_seed(0)
model = resnet.resnet50(weights=None).eval()
x = torch.zeros(1, 3, 224, 224)
with torch.no_grad():
    torch.onnx.export(model, (x,), sys.argv[1], opset_version=17, dynamo=False,
                      input_names=["input"], output_names=["output"], do_constant_folding=True)
print(f"torch {torch.__version__}")
'''


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def text_page(shape, rng):
    """A page of dark text-like strokes on a light, slightly noisy background, normalised
    as PaddleOCR / RapidOCR feed the detector ((x - ImageNet mean) / std, NCHW), so the
    detector's probability map is not all zero on it (plain noise gives max 4e-4)."""
    _, _, h, w = shape
    img = np.full((h, w, 3), 0.92, np.float32) + rng.normal(0, 0.03, (h, w, 3)).astype(np.float32)
    y = 20
    while y < h - 40:  # one line of "characters" at a time
        size = int(rng.integers(14, 36))
        x = int(rng.integers(10, 80))
        end = int(rng.integers(w // 2, w - 10))
        ink = rng.uniform(0.0, 0.3, 3).astype(np.float32)
        while x < end:
            cw = int(rng.integers(size // 3, size))
            for _ in range(int(rng.integers(2, 5))):  # a few horizontal or vertical strokes
                if rng.random() < 0.5:
                    yy = y + int(rng.integers(0, size - 2))
                    img[yy:yy + 2 + size // 10, x:x + cw] = ink
                else:
                    xx = x + int(rng.integers(0, max(1, cw - 2)))
                    img[y:y + size, xx:xx + 2 + size // 10] = ink
            x += cw + int(rng.integers(2, 8))
            if rng.random() < 0.08:
                x += size  # a space
        y += size + int(rng.integers(10, 40))
    img = np.clip(img, 0, 1)
    mean = np.array([0.485, 0.456, 0.406], np.float32)
    std = np.array([0.229, 0.224, 0.225], np.float32)
    return ((img - mean) / std).transpose(2, 0, 1)[None].astype(np.float32)


def seeded_input(shape, kind, seed):
    rng = np.random.default_rng(seed)
    if kind == "uniform":  # an image scaled to [0, 1] (YOLO's preprocessing)
        return rng.random(shape, dtype=np.float32)
    if kind == "text":
        return text_page(shape, rng)
    return rng.standard_normal(shape, dtype=np.float32)  # a mean/std-normalised image


def ort_output(model_path, x):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    sess = ort.InferenceSession(model_path, sess_options=options, providers=["CPUExecutionProvider"])
    return sess.run(None, {sess.get_inputs()[0].name: x})[0]


def describe(model_path):
    model = onnx.load(model_path, load_external_data=False)
    def dims(value):
        return "x".join(str(d.dim_value) if d.HasField("dim_value")
                        else (d.dim_param if d.dim_param and len(d.dim_param) <= 24 else "?")
                        for d in value.type.tensor_type.shape.dim)
    inputs = ", ".join(f"{v.name} [{dims(v)}]" for v in model.graph.input
                       if v.name not in {i.name for i in model.graph.initializer})
    outputs = ", ".join(f"{v.name} [{dims(v)}]" for v in model.graph.output)
    opset = ",".join(f"{o.domain or 'ai.onnx'}:{o.version}" for o in model.opset_import)
    producer = f"{model.producer_name} {model.producer_version}".strip() or "producer not named"
    return f"{producer}, opset {opset}; inputs {inputs}; outputs {outputs}"


def write_npys(dest, name, x, force):
    """Writes <name>.input.npy and <name>.output.npy unless they are already right."""
    model = os.path.join(dest, f"{name}.onnx")
    x_path = os.path.join(dest, f"{name}.input.npy")
    y_path = os.path.join(dest, f"{name}.output.npy")
    same_input = os.path.exists(x_path) and np.array_equal(np.load(x_path), x)
    if same_input and os.path.exists(y_path) and not force:
        y = np.load(y_path)
        print(f"  {name}: input {x.shape} and ORT output {y.shape} already there")
        return
    np.save(x_path, x)
    y = np.asarray(ort_output(model, x), dtype=np.float32)
    np.save(y_path, y)
    print(f"  {name}: wrote input {x.shape} and ORT output {y.shape} "
          f"(|y| max {float(np.max(np.abs(y))):.4g}, finite {bool(np.all(np.isfinite(y)))})")


def fetch_wheel_model(spec, dest, scratch, force):
    name = spec["name"]
    target = os.path.join(dest, f"{name}.onnx")
    if os.path.exists(target) and sha256(target) == spec["sha256"]:
        print(f"  {name}: {name}.onnx already there (sha256 ok)")
    else:
        folder = os.path.join(scratch, name)
        os.makedirs(folder, exist_ok=True)
        print(f"  {name}: pip download --no-deps {spec['package']}", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--only-binary", ":all:", "-d", folder, spec["package"]], check=True)
        wheel = os.path.join(folder, spec["wheel"])
        got = sha256(wheel)
        if got != spec["wheel_sha256"]:
            raise SystemExit(f"{spec['wheel']}: sha256 {got}, expected {spec['wheel_sha256']}")
        with zipfile.ZipFile(wheel) as zf:
            data = zf.read(spec["path"])
        got = hashlib.sha256(data).hexdigest()
        if got != spec["sha256"]:
            raise SystemExit(f"{spec['path']} in {spec['wheel']}: sha256 {got}, expected {spec['sha256']}")
        with open(target + ".tmp", "wb") as f:
            f.write(data)
        os.replace(target + ".tmp", target)
        print(f"  {name}: extracted {spec['path']} from {spec['wheel']} ({len(data)} bytes, sha256 ok, "
              f"licence {spec['licence']})")
    print(f"  {name}: {describe(target)}")
    write_npys(dest, name, seeded_input(spec["input_shape"], *spec["input"]), force)


def torch_python():
    """The .venv-torch interpreter with torch, torchvision and onnx, made on first use."""
    python = os.path.join(TORCH_VENV, "bin", "python")
    probe = ("import importlib.util, torch, onnx; "
             "assert importlib.util.find_spec('torchvision') is not None")
    if os.path.exists(python) and subprocess.run([python, "-c", probe], capture_output=True).returncode == 0:
        return python
    if not os.path.exists(python):
        print(f"  resnet50: making {os.path.relpath(TORCH_VENV, ROOT)}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", TORCH_VENV], check=True)
    print(f"  resnet50: pip install {' '.join(TORCH_PIP)} (large: torch)", flush=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", *TORCH_PIP], check=True)
    return python


def fetch_resnet50(dest, scratch, force):
    spec = RESNET50
    target = os.path.join(dest, "resnet50.onnx")
    x = seeded_input(spec["input_shape"], *spec["input"])
    if os.path.exists(target) and sha256(target) == spec["sha256"]:
        print("  resnet50: resnet50.onnx already there (torchvision export, sha256 ok)")
    else:
        try:
            python = torch_python()
            script = os.path.join(scratch, "export_resnet50.py")
            with open(script, "w") as f:
                f.write(RESNET50_EXPORT)
            out = os.path.join(scratch, "resnet50.onnx")
            done = subprocess.run([python, "-W", "ignore", script, out], capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "export failed")
            got = sha256(out)
            shutil.move(out, target)
            if got == spec["sha256"]:
                print(f"  resnet50: exported torchvision resnet50(weights=None), torch.manual_seed(0), "
                      f"opset 17 with {done.stdout.strip()} (sha256 ok)")
            else:
                print(f"  resnet50: WARNING: exported with {done.stdout.strip()}, sha256 {got}, expected "
                      f"{spec['sha256']} (another torch build?); using it anyway")
            force = True  # a new file: its output must be made again
        except Exception as e:  # no torch here: keep the benchmark going with the Keras export
            source = os.path.join(FORWARD_CACHE, "resnet50.onnx")
            print(f"  resnet50: torchvision export FAILED ({e}); FALLING BACK to the Keras/tf2onnx "
                  f"export {os.path.relpath(source, ROOT)} (NHWC), with its stored input")
            shutil.copyfile(source, target)
            x = np.load(os.path.join(FORWARD_CACHE, "resnet50.input.npy"))
            force = True
    print(f"  resnet50: {describe(target)}")
    write_npys(dest, "resnet50", x, force)


def copy_mobilenetv2(dest, force):
    source = os.path.join(FORWARD_CACHE, "mobilenetv2.onnx")
    source_x = os.path.join(FORWARD_CACHE, "mobilenetv2.input.npy")
    if not (os.path.exists(source) and os.path.exists(source_x)):
        print("  mobilenetv2: not in the forward cache; making it with bench/make_forward_models.py", flush=True)
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "make_forward_models.py"),
                        "--cache", FORWARD_CACHE, "--only", "mobilenetv2"], check=True)
    target = os.path.join(dest, "mobilenetv2.onnx")
    if os.path.exists(target) and sha256(target) == sha256(source):
        print("  mobilenetv2: mobilenetv2.onnx already there (same as the forward cache's)")
    else:
        shutil.copyfile(source, target)
        force = True
        print(f"  mobilenetv2: copied {os.path.relpath(source, ROOT)} (sha256 {sha256(target)})")
    print(f"  mobilenetv2: {describe(target)}")
    x = np.load(source_x)
    write_npys(dest, "mobilenetv2", x, force)
    keras_y = os.path.join(FORWARD_CACHE, "mobilenetv2.output.npy")
    if os.path.exists(keras_y):
        diff = float(np.max(np.abs(np.load(os.path.join(dest, "mobilenetv2.output.npy")) - np.load(keras_y))))
        print(f"  mobilenetv2: ORT output vs Keras's stored output: max abs diff {diff:.3g}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", default=os.path.join(ROOT, ".bench-cache", "onnx"))
    parser.add_argument("--force", action="store_true", help="remake every input/output .npy")
    parser.add_argument("--only", nargs="*", choices=["mobilenetv2", "resnet50", "yolov8n", "ppocrv4_det"])
    args = parser.parse_args()
    os.makedirs(args.dest, exist_ok=True)
    wanted = set(args.only or ["mobilenetv2", "resnet50", "yolov8n", "ppocrv4_det"])
    print(f"ONNX benchmark models into {os.path.relpath(args.dest, ROOT)} "
          f"(onnx {onnx.__version__}, onnxruntime {ort.__version__})")
    with tempfile.TemporaryDirectory(prefix="strata-onnx-bench-") as scratch:
        if "mobilenetv2" in wanted:
            copy_mobilenetv2(args.dest, args.force)
        if "resnet50" in wanted:
            fetch_resnet50(args.dest, scratch, args.force)
        for spec in WHEEL_MODELS:
            if spec["name"] in wanted:
                fetch_wheel_model(spec, args.dest, scratch, args.force)
    print("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
