# Strata: `make report` reports on Examples/, `make test` runs the tests.
# Both install the Debian packages they need (scripts/ensure-deps.sh) when missing.
SWIFT ?= swift
RELEASE_BIN = .build/release/strata
EXAMPLES = $(sort $(wildcard Examples/*.json Examples/*.keras Examples/*.h5 Examples/*.onnx))

.PHONY: deps build release report test bench bench-forward bench-forward-run bench-venv fuzz fuzz-workers fuzz-swift clean

deps:
	@scripts/ensure-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product strata

# The nightly batch on Examples/ (config/strata.yml): PDF, SVGs, Markdown and JSON per model
# in Output/, Output/index.md and Output/index.json, the run recorded in Output/history.sqlite.
report: release
	$(RELEASE_BIN) report
	@echo "Index: Output/index.md"

test: deps
	$(SWIFT) test

# Benchmarks (release build), each beside a reference in the same run:
# 1. read + analyse the 40 keras.applications configs; Keras itself (model_from_json +
#    count_params) on the same files;
# 2. render NASNetLarge (1,041 layers) to PDF + SVGs; Keras's plot_model (pydot + dot) on the
#    same model;
# 3. the batch over the 40 application configs without the forward pass, and over three
#    models with it; the batch at scale (bench/batch_scale.sh): 40, 200 and 1,000 configs,
#    first run and re-run over the unchanged folder, models/s, peak RSS of the batch process
#    and of the largest worker;
# 4. the forward pass at batch 1 with 1 and 2 threads on the seed model, MobileNetV2 and
#    ResNet50 (fixed-seed weights, made once by real Keras into .bench-cache/forward/ as
#    .keras and, exported by Keras, .onnx); ONNX Runtime on the same models, alternating;
#    outputs of both checked against Keras's first. Prints the ratios Strata/ORT.
#    Then the ONNX files (bench/fetch_onnx_bench_models.py: MobileNetV2, ResNet50 from
#    PyTorch, YOLOv8n, PP-OCRv4 det into .bench-cache/onnx/): strata time on each .onnx
#    beside ONNX Runtime on the same file, 1 and 2 threads (bench/onnx_forward_bench.py).
#    Then Strata's read + analyse of the ONNX example and of the ResNet50 export beside
#    onnx's own load + shape inference (bench/onnx_reference.py) on the same files.
# The references run in a virtual environment (.venv-bench) made on first use.
BENCH_VENV = .venv-bench
BENCH_PIP = keras==3.15.1 tensorflow-cpu==2.21.0 pydot onnxruntime==1.32.0 onnx==1.23.2 tf2onnx==1.17.0 onnx-tool==1.0.1 scipy==1.17.1
BENCH_CACHE = .bench-cache/forward
NASNET = Tests/Fixtures/applications/NASNetLarge/model.json
bench: release
	$(SWIFT) build -c release --product strata-bench
	.build/release/strata-bench --rounds 5 Tests/Fixtures/applications
	@for i in 1 2 3; do /usr/bin/time -f "Strata render NASNetLarge (read, analyse, layout, PDF + 2 SVGs): %e s, peak RSS %M KB" \
	  $(RELEASE_BIN) render $(NASNET) --out /tmp/strata-bench-render --format pdf,svg --date 2026-01-01 > /dev/null; done
	@python3 bench/deep_chain.py 700 > /tmp/strata-deep-chain.json
	@/usr/bin/time -f "Strata render a 2,101-layer chain (PDF + 2 SVGs): %e s, peak RSS %M KB" \
	  $(RELEASE_BIN) render /tmp/strata-deep-chain.json --out /tmp/strata-bench-deep --format pdf,svg --date 2026-01-01 > /dev/null
	@rm -rf /tmp/strata-bench-batch && mkdir -p /tmp/strata-bench-batch/models && \
	  for d in Tests/Fixtures/applications/*/; do cp "$$d/model.json" "/tmp/strata-bench-batch/models/$$(basename $$d).json"; done
	@/usr/bin/time -o /tmp/strata-bench-time.txt -f "Strata report on the 40 application configs (--no-forward; PDF, SVG, Markdown, JSON, index, history): %e s, peak RSS %M KB" \
	  $(RELEASE_BIN) report /tmp/strata-bench-batch/models --out /tmp/strata-bench-batch/out --no-forward --date 2026-01-01 2>/dev/null | tail -1
	@cat /tmp/strata-bench-time.txt
	@rm -rf /tmp/strata-bench-batch3 && mkdir -p /tmp/strata-bench-batch3/models && \
	  cp Tests/Fixtures/reference/seed_resnet8/model.keras /tmp/strata-bench-batch3/models/resnet8.keras && \
	  cp Tests/Fixtures/applications/MobileNetV2/model.json /tmp/strata-bench-batch3/models/MobileNetV2.json && \
	  cp Tests/Fixtures/applications/ResNet50/model.json /tmp/strata-bench-batch3/models/ResNet50.json
	@/usr/bin/time -o /tmp/strata-bench-time.txt -f "Strata report on 3 models with the forward pass (seed, MobileNetV2, ResNet50; 5 warm-up + 30 timed + 30 per-layer runs each; all formats): %e s, peak RSS %M KB" \
	  $(RELEASE_BIN) report /tmp/strata-bench-batch3/models --out /tmp/strata-bench-batch3/out --date 2026-01-01 2>/dev/null | tail -2
	@cat /tmp/strata-bench-time.txt
	@bench/batch_scale.sh $(RELEASE_BIN) 40 200 1000
	@command -v dot >/dev/null 2>&1 || { [ "$$(id -u)" -eq 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; }
	@$(MAKE) --no-print-directory bench-venv
	$(BENCH_VENV)/bin/python bench/keras_reference.py --rounds 3 Tests/Fixtures/applications
	$(BENCH_VENV)/bin/python bench/render_reference.py --rounds 3 $(NASNET)
	@$(MAKE) --no-print-directory bench-forward-run

# The forward section alone (section 4 above).
bench-forward: release bench-venv bench-forward-run

bench-forward-run:
	$(BENCH_VENV)/bin/python bench/make_forward_models.py --cache $(BENCH_CACHE)
	$(SWIFT) build -c release --product strata-bench
	$(BENCH_VENV)/bin/python bench/onnx_chain.py 100000 /tmp/strata-chain.onnx > /dev/null
	.build/release/strata-bench --rounds 5 --onnx Examples/resnet8_cifar10_tf2onnx.onnx --onnx $(BENCH_CACHE)/mobilenetv2.onnx --onnx $(BENCH_CACHE)/resnet50.onnx --onnx /tmp/strata-chain.onnx
	$(BENCH_VENV)/bin/python bench/onnx_reference.py --rounds 5 Examples/resnet8_cifar10_tf2onnx.onnx $(BENCH_CACHE)/mobilenetv2.onnx $(BENCH_CACHE)/resnet50.onnx /tmp/strata-chain.onnx
	@/usr/bin/time -f "Strata summary of the ResNet50 export (102 MB): %e s, peak RSS %M KB" $(RELEASE_BIN) summary $(BENCH_CACHE)/resnet50.onnx > /dev/null
	$(BENCH_VENV)/bin/python bench/forward_bench.py --strata $(RELEASE_BIN) --cache $(BENCH_CACHE) --threads 1 2 --warmup 5 --runs 30
	$(BENCH_VENV)/bin/python bench/fetch_onnx_bench_models.py
	$(BENCH_VENV)/bin/python bench/onnx_forward_bench.py --strata $(RELEASE_BIN) --threads 1 2 --warmup 5 --runs 30 --rounds 3

bench-venv:
	@if [ ! -x $(BENCH_VENV)/bin/python ]; then python3 -m venv $(BENCH_VENV); fi
	@$(BENCH_VENV)/bin/python -c "import keras, onnxruntime, tf2onnx, pydot" 2>/dev/null || \
	  $(BENCH_VENV)/bin/pip install -q $(BENCH_PIP)

# Fuzzing (see README, "Fuzzing"): mutants of the fixtures through the batch's worker
# isolation (FUZZ_SECONDS), then the Swift-side readers under libFuzzer (FUZZ_RUNS inputs).
# Findings are saved into Tests/Fixtures/fuzz/ and listed in its findings.tsv; both
# targets exit 1 when they find something new.
FUZZ_SECONDS ?= 300
FUZZ_RUNS ?= 100000
FUZZ_SEED ?= $(shell date +%s)
FUZZ_SEEDS = Examples Tests/Fixtures/reference Tests/Fixtures/containers Tests/Fixtures/execution Tests/Fixtures/onnx
LIBFUZZ_BIN = .build-fuzz/x86_64-unknown-linux-gnu/release/strata-libfuzz
fuzz:
	@$(MAKE) --no-print-directory fuzz-workers; a=$$?; $(MAKE) --no-print-directory fuzz-swift; b=$$?; exit $$((a | b))

fuzz-workers: release
	$(RELEASE_BIN) fuzz $(FUZZ_SEEDS) --seconds $(FUZZ_SECONDS) --seed $(FUZZ_SEED) --out Tests/Fixtures/fuzz

fuzz-swift: deps
	$(SWIFT) build -c release --scratch-path .build-fuzz --product strata-libfuzz \
	  -Xswiftc -sanitize=fuzzer -Xswiftc -DSTRATA_LIBFUZZER -Xswiftc -use-ld=lld
	@rm -rf .build-fuzz/corpus && mkdir -p .build-fuzz/corpus Tests/Fixtures/fuzz/swift
	@cp Examples/*.json Examples/*.keras Examples/*.onnx .build-fuzz/corpus/
	@for f in Tests/Fixtures/onnx/*/model.onnx Tests/Fixtures/onnx/real/*/model.onnx; do cp $$f .build-fuzz/corpus/$$(echo $$f | cut -d/ -f3- | tr / _); done
	@for d in Tests/Fixtures/reference/*/; do n=$$(basename $$d); \
	  for f in $$d/model.json $$d/model.keras; do [ -f $$f ] && cp $$f .build-fuzz/corpus/$$n.$${f##*.}; done; done; true
	@for f in Tests/Fixtures/layers/*/model*.json Tests/Fixtures/execution/*/*/model.keras; do \
	  cp $$f .build-fuzz/corpus/$$(echo $$f | cut -d/ -f3- | tr / _); done
	$(LIBFUZZ_BIN) .build-fuzz/corpus -runs=$(FUZZ_RUNS) -max_len=500000 -timeout=10 -rss_limit_mb=2048 \
	  -artifact_prefix=Tests/Fixtures/fuzz/swift/ -print_final_stats=1

clean:
	rm -rf .build .build-fuzz
