#!/usr/bin/env bash
# Rebuild Tests/Fixtures/onnx/real/<name>/model.onnx from the exact PyPI package
# versions they were taken from, and check each file's sha256.
#
#   scripts/onnx-truth/fetch_real_models.sh           # fetch + copy + verify
#   scripts/onnx-truth/fetch_real_models.sh --truth   # ... and rewrite every truth.json
#
# Needs pip (the bench venv's by default: PYTHON=/work/main/.venv-bench/bin/python)
# and unzip/tar.  Downloads go to a scratch folder under /tmp, removed at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv-bench/bin/python}"
DEST="$ROOT/Tests/Fixtures/onnx/real"
TRUTH=0
[[ "${1:-}" == "--truth" ]] && TRUTH=1

# folder | package==version | archive kind (wheel|sdist) | archive file | path inside the archive | sha256 | licence
MODELS=(
  "ppocr_cls|rapidocr-onnxruntime==1.4.4|wheel|rapidocr_onnxruntime-1.4.4-py3-none-any.whl|rapidocr_onnxruntime/models/ch_ppocr_mobile_v2.0_cls_infer.onnx|e47acedf663230f8863ff1ab0e64dd2d82b838fceb5957146dab185a89d6215c|Apache-2.0"
  "silero_vad|silero-vad==6.2.3|wheel|silero_vad-6.2.3-py3-none-any.whl|silero_vad/data/silero_vad.onnx|1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3|MIT"
  "oww_hey_rhasspy|openwakeword==0.5.1|wheel|openwakeword-0.5.1-py3-none-any.whl|openwakeword/resources/models/hey_rhasspy_v0.1.onnx|5a9b3ed3be2910e35780e097905aa9f35a9c10038df47914cf2b3ec4d670f6ea|code Apache-2.0; pre-trained models CC BY-NC-SA 4.0 (package README)"
  "scrfd_face|scrfd==0.3.0|sdist|scrfd-0.3.0.tar.gz|scrfd-0.3.0/models/scrfd.onnx|9c162a817c7dd32d35d1f1c6ae6445032d6e73c6c5fe61d8b5b663ba8bc86b30|package Apache-2.0; SCRFD weights come from InsightFace (its model zoo: non-commercial research use)"
  "qonnx_espcn_quant|qonnx==1.0.0|wheel|qonnx-1.0.0-py2.py3-none-any.whl|qonnx/data/onnx/bsd300x3-espcn/subpixel/quant_model.onnx|7ea4f16077f7e6b3ec55ac8b00febb590cab42b961908e6113d180b037e97774|Apache-2.0"
)

SCRATCH="$(mktemp -d /tmp/strata-real-onnx.XXXXXX)"
trap 'rm -rf "$SCRATCH"' EXIT

for entry in "${MODELS[@]}"; do
  IFS='|' read -r folder pkg kind archive path sha licence <<<"$entry"
  dl="$SCRATCH/$folder"
  mkdir -p "$dl"
  if [[ "$kind" == wheel ]]; then
    "$PYTHON" -m pip download --quiet --no-deps --only-binary :all: -d "$dl" "$pkg"
    unzip -q -o "$dl/$archive" "$path" -d "$dl/x"
  else
    "$PYTHON" -m pip download --quiet --no-deps --no-binary :all: -d "$dl" "$pkg"
    mkdir -p "$dl/x"
    tar -xzf "$dl/$archive" -C "$dl/x" "$path"
  fi
  got="$(sha256sum "$dl/x/$path" | cut -d' ' -f1)"
  if [[ "$got" != "$sha" ]]; then
    echo "sha256 mismatch for $folder ($pkg $path): $got, expected $sha" >&2
    exit 1
  fi
  mkdir -p "$DEST/$folder"
  install -m 644 "$dl/x/$path" "$DEST/$folder/model.onnx"
  echo "$folder: $pkg $path ($(stat -c %s "$DEST/$folder/model.onnx") bytes) ok"
  if [[ "$TRUTH" == 1 ]]; then
    "$PYTHON" "$ROOT/scripts/onnx-truth/make_truth.py" "$DEST/$folder/model.onnx" "$DEST/$folder" \
      --package "$pkg" --archive "$archive" --path-in-package "$path" --licence "$licence"
  fi
done
