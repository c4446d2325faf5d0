/// The default Markdown templates, built into the binary so `strata` works from any folder.
/// Generated from Templates/*.mustache by scripts/embed-markdown-templates.py; a test checks
/// that they are identical to the files.
enum MarkdownDefaultTemplates {
    /// Templates/report.md.mustache
    static let report = #"""
{{! Strata's report of one model for a GitHub or GitLab wiki. Every value is text that
    Strata has formatted and escaped for Markdown: place values with triple braces, as
    here; double braces would HTML-escape them a second time. Templates/README.md lists
    the variables. }}
# {{{title}}}

| Model | File | Format | Run date | Strata |
|:---|:---|:---|:---|:---|
| {{{modelName}}} ({{{modelClass}}}) | {{{file}}} | {{{format}}} | {{{runDate}}} | {{{strataVersion}}} |

## Headline figures

| Figure | Value |
|:---|---:|
| Parameters | {{{figures.params}}} |
| Trainable parameters | {{{figures.trainable}}} |
| Non-trainable parameters | {{{figures.nonTrainable}}} |
| MACs at batch 1, input {{{figures.input}}} | {{{figures.macs}}} |
| Weights | {{{figures.weightBytes}}} |
| Peak activations at batch 1 | {{{figures.peakActivationBytes}}} |
| Latency (median) | {{{figures.latency}}} |

## Since the previous run

{{#change}}
{{#isNew}}
First run of this model: nothing to compare with yet.
{{/isNew}}
{{^isNew}}
Compared with the run of {{{previousRunDate}}}; the model file {{{contentText}}}.

| Figure | Previous | Now | Change |
|:---|---:|---:|---:|
{{#rows}}
| {{{figure}}} | {{{previous}}} | {{{now}}} | {{{delta}}} |
{{/rows}}
{{/isNew}}
{{/change}}
{{^change}}
No history: this report was made outside a batch run.
{{/change}}

## Forward pass on the CPU

{{#timing}}
{{#disturbed}}
**{{{disturbed}}}.**

{{/disturbed}}
Median {{{median}}} over {{{runs}}} timed runs at batch 1 after {{{warmup}}} warm-up runs, on {{{threads}}} thread(s) ({{{backend}}}): fastest {{{min}}}, 90th percentile {{{p90}}}, spread (p75 − p25) {{{spread}}}. Peak resident memory {{{peakRSS}}}. The per-layer medians, from {{{instrumentedRuns}}} separate instrumented runs, add up to {{{layerSum}}} ({{{layerSumShare}}} of the median).
{{#trend}}

Median over the last {{{trendRuns}}} runs, oldest first: {{{trend}}}.
{{/trend}}

| Slowest {{unitName}}s | {{classTitle}} | Median | Share of the total |
|:---|:---|---:|---:|
{{#slowest}}
| {{{name}}} | {{{className}}} | {{{ms}}} | {{{share}}} |
{{/slowest}}
{{#hasStages}}

{{{stagesOf}}}, with its share of the per-layer medians' sum:

| {{stageTitle}} | What | Params | Median | Share |
|:---|:---|---:|---:|---:|
{{#stages}}
| {{{name}}} | {{{what}}} | {{{params}}} | {{{ms}}} | {{{share}}} |
{{/stages}}
{{/hasStages}}
{{#hasFused}}

{{{fusedCount}}} more {{unitName}} call(s) (folded batch normalizations, fused activations and additions) run inside the step of the {{unitName}} before them and have no time of their own.
{{/hasFused}}
{{/timing}}
{{^timing}}
{{#timingUnavailable}}
Not timed: {{{timingUnavailable}}}.
{{/timingUnavailable}}
{{^timingUnavailable}}
Not timed: the forward pass was not asked for in this run.
{{/timingUnavailable}}
{{/timing}}

## How many {{unitName}}s?

| Count | What is counted |
|---:|:---|
{{#counts}}
| {{{count}}} | {{{definition}}} |
{{/counts}}

{{#paragraphs}}
{{{text}}}

{{/paragraphs}}
## Pictures

{{#pictures}}
![{{{alt}}}]({{{file}}})

{{/pictures}}
## {{unitTitle}}s

| {{unitTitle}} | {{classTitle}} | Output shape | Params | Trainable | Non-trainable | MACs | Connected to |
|:---|:---|:---|---:|---:|---:|---:|:---|
{{#layers}}
| {{{name}}} | {{{className}}} | {{{outputShape}}} | {{{params}}} | {{{trainable}}} | {{{nonTrainable}}} | {{{macs}}} | {{{connectedTo}}} |
{{/layers}}
{{#hasDiagnostics}}

## Diagnostics

{{#diagnostics}}
- {{{severity}}} {{{id}}}: {{{message}}}
{{/diagnostics}}
{{/hasDiagnostics}}

"""#
    /// Templates/index.md.mustache
    static let index = #"""
{{! Strata's index of a batch run for a GitHub or GitLab wiki. Every value is text that
    Strata has formatted and escaped for Markdown: place values with triple braces, as
    here; double braces would HTML-escape them a second time. Templates/README.md lists
    the variables. }}
# Strata model reports

Run of {{{runDate}}} by Strata {{{strataVersion}}}: {{{summary}}}.

{{#hasEntries}}
| Model | Parameters | MACs | Latency (median) | Since last run | Status |
|:---|---:|---:|---:|:---|:---|
{{#entries}}
| {{{model}}} | {{{params}}} | {{{macs}}} | {{{latency}}} | {{{change}}} | {{{status}}} |
{{/entries}}
{{/hasEntries}}
{{^hasEntries}}
No models were found.
{{/hasEntries}}

## Regressions

{{#regressions}}
- {{{id}}}: {{{message}}}
{{/regressions}}
{{^regressions}}
No regressions.
{{/regressions}}

## Failed models

{{#failed}}
- {{{model}}} ({{{file}}}): {{{state}}}. Error: {{{error}}}
{{/failed}}
{{^failed}}
No model failed.
{{/failed}}
{{#hasSkipped}}

## Files that are not models

{{#skipped}}
- {{{file}}}: {{{reason}}}
{{/skipped}}
{{/hasSkipped}}
{{#hasUnavailable}}

## Unavailable

Not available in this build, so not produced (never faked): {{{unavailable}}}.
{{/hasUnavailable}}

"""#
}
