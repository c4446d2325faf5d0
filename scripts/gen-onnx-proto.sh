#!/bin/bash
# Regenerates Sources/ONNXFormat/Generated/onnx.pb.swift, the Swift types of ONNX's protobuf
# schema, from the official onnx.proto of the pinned onnx release (taken from its PyPI wheel)
# with protoc and swift-protobuf's protoc-gen-swift at the version Package.swift depends on.
# Run it by hand when the pins change; CI does not (the generated file is committed, because
# building the plugin takes about 10 minutes).
set -euo pipefail
ONNX_VERSION=1.23.2
PROTOBUF_VERSION=1.39.0
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v protoc >/dev/null || { [ "$(id -u)" -eq 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler >/dev/null; }
python3 -m pip download --quiet --no-deps --only-binary=:all: "onnx==$ONNX_VERSION" -d "$work/wheel"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("onnx/onnx.proto", sys.argv[2])' "$work"/wheel/onnx-*.whl "$work"
git clone --quiet https://github.com/apple/swift-protobuf "$work/swift-protobuf"
git -C "$work/swift-protobuf" checkout --quiet "$PROTOBUF_VERSION"
swift build -c release --package-path "$work/swift-protobuf" --product protoc-gen-swift
mkdir -p "$root/Sources/ONNXFormat/Generated"
protoc --plugin=protoc-gen-swift="$work/swift-protobuf/.build/release/protoc-gen-swift" \
  --swift_opt=Visibility=Internal --swift_out="$root/Sources/ONNXFormat/Generated" \
  -I "$work/onnx" "$work/onnx/onnx.proto"
echo "wrote Sources/ONNXFormat/Generated/onnx.pb.swift from onnx $ONNX_VERSION with swift-protobuf $PROTOBUF_VERSION"
