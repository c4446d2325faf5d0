#!/bin/sh
# The README's pictures: `strata diff --pdf` of the seed ResNet-8 against the copy with one
# convolution renamed and a Dropout inserted (Tests/Fixtures/diff), pages 1 and 2 as PNGs;
# and the overview page of EfficientNetB0's report (its keras.applications config).
# Needs a built strata (swift build) and pdftoppm (poppler-utils).
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp Tests/Fixtures/reference/seed_resnet8/model.keras "$tmp/model.keras"
cp Tests/Fixtures/diff/renamed_dropout.keras "$tmp/renamed_dropout.keras"
(cd "$tmp" && "$OLDPWD/.build/debug/strata" diff model.keras renamed_dropout.keras --pdf diff.pdf > /dev/null)
pdftoppm -png -r 60 -f 1 -l 2 "$tmp/diff.pdf" "$tmp/page"
mkdir -p docs/images
cp "$tmp/page-1.png" docs/images/diff-page1.png
cp "$tmp/page-2.png" docs/images/diff-page2.png
./.build/debug/strata render Tests/Fixtures/applications/EfficientNetB0/model.json --out "$tmp/effnet" \
    --format pdf --date 2026-12-04T00:00:00Z > /dev/null
pdftoppm -png -r 60 -f 2 -l 2 "$tmp/effnet/report.pdf" "$tmp/overview"
cp "$tmp"/overview-*2.png docs/images/overview-efficientnetb0.png
echo "docs/images/diff-page1.png docs/images/diff-page2.png docs/images/overview-efficientnetb0.png"
