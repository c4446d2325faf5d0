import ModelKit

/// The plain-language explanation of a model, generated from its figures: what its format's
/// "layers" are, which carry weights, how deep the model is in the papers' sense, how batch
/// normalization is counted, its structure and cost. Works for any model: it branches on
/// operator families (`LayerRow.op`, `MergePoint.op`) and the graph, and the format's own
/// words come from its reader (`SourceInfo.conventions`).
public enum Explanation {
    /// Classes with how many rows of each, most frequent first, ties by name.
    static func classTally(_ rows: [LayerRow]) -> [(String, Int)] {
        var counts: [String: Int] = [:]
        for r in rows { counts[r.className, default: 0] += 1 }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    }

    static func tallyText(_ tally: [(String, Int)], limit: Int = 6) -> String {
        var parts = tally.prefix(limit).map { "\($0.1) \($0.0)" }
        if tally.count > limit {
            let rest = tally.dropFirst(limit).reduce(0) { $0 + $1.1 }
            parts.append("\(rest) of \(tally.count - limit) other kind\(tally.count - limit == 1 ? "" : "s")")
        }
        return Formatting.list(parts)
    }

    /// "a" or "an" before a word, by its first letter.
    static func article(_ word: String) -> String {
        guard let first = word.lowercased().first else { return "a" }
        return "aeiou".contains(first) ? "an" : "a"
    }

    /// True when a model input is not among the listed rows (Keras's Sequential keeps its
    /// InputLayer out of model.layers).
    static func hasUnlistedInput(_ a: ModelAnalysis) -> Bool {
        let listed = Set(a.rows.map(\.name))
        return a.inputs.contains { !listed.contains($0.layer) }
    }

    /// Paragraphs of explanation, each one plain sentence group.
    public static func paragraphs(_ a: ModelAnalysis) -> [String] {
        var out: [String] = []
        let rows = a.rows
        let weighted = rows.filter { ($0.params ?? 0) > 0 }
        let weightless = rows.filter { ($0.params ?? 0) == 0 && $0.params != nil }
        let c = a.counts
        let conventions = a.source.conventions
        let format = conventions.formatName
        let unit = conventions.unitName

        // 1. What the layer count means.
        var p1 = "\(format) lists \(Formatting.plural(c.topLevelLayers, unit)) for this model"
        if let note = conventions.unlistedInputNote, hasUnlistedInput(a) { p1 += " (\(note))" }
        p1 += "."
        if let note = conventions.layerTermNote { p1 += " " + note }
        p1 += " "
        if weighted.isEmpty {
            p1 += "None of them owns weights."
        } else {
            p1 += "Only \(weighted.count) of them own weights: \(tallyText(classTally(weighted)))."
        }
        if !weightless.isEmpty {
            p1 += " The other \(weightless.count) (\(tallyText(classTally(weightless)))) transform what flows through them and own no weights."
        }
        if let modules = ModuleGroups.sentence(a) { p1 += " " + modules }
        out.append(p1)

        // 2. Depth in the papers' sense.
        let leaves = a.leafRows
        let kernels = leaves.filter { $0.category == .kernel }
        if c.withKernel > 0 {
            let kernelParams = kernels.reduce(0) { $0 + ($1.params ?? 0) }
            var p2 = "\(Formatting.plural(c.withKernel, unit)) \(c.withKernel == 1 ? "has" : "have") a kernel (\(tallyText(classTally(kernels)))): the weight matrices or filters that do the model's real work"
            if let total = a.totals.params, total > 0 {
                p2 += ", holding \(Formatting.count(kernelParams)) of the \(Formatting.count(total)) parameters (\(Formatting.percent(kernelParams, of: total)))"
            }
            p2 += ". Counted the way papers name networks (the most kernel \(unit)s on any path from an input to an output) the model is \(c.depth) deep"
            let off = c.withKernel - c.depth
            if off == 1 {
                p2 += "; the other kernel \(unit) sits on a shorter side path or a parallel branch"
            } else if off > 1 {
                p2 += "; the other \(off) kernel \(unit)s sit on shorter side paths or parallel branches"
            }
            p2 += "."
            out.append(p2)
        }

        // 3. Batch normalization, as the format counts it.
        let bns = leaves.filter { $0.op == "batch_normalization" }
        if !bns.isEmpty, let note = conventions.batchNormalizationNote {
            let bnNon = bns.reduce(0) { $0 + ($1.nonTrainableParams ?? 0) }
            let bnTrain = bns.reduce(0) { $0 + ($1.trainableParams ?? 0) }
            // The layers' class as the file names it, when they share one.
            let kind = Set(bns.map(\.className)).count == 1 ? bns[0].className : "batch normalization"
            var p3 = note
            if bnTrain + bnNon == 0 {
                // The file keeps their numbers elsewhere (constants written into the graph).
                p3 += " Here the \(Formatting.plural(bns.count, kind)) hold none of the counted parameters: their numbers are among those the file keeps outside the count (below)"
            } else {
            p3 += " Here " + (bns.count == 1 ? "the \(kind) layer holds" : "the \(bns.count) \(kind) layers hold") + " \(Formatting.count(bnTrain)) trainable and \(Formatting.count(bnNon)) non-trainable parameters"
            if let non = a.totals.nonTrainableParams, non == bnNon, non > 0 {
                p3 += ", which is every non-trainable parameter of the model"
            }
            }
            p3 += "."
            if let comparison = conventions.batchNormalizationComparison { p3 += " " + comparison }
            out.append(p3)
        }

        // What the reader noticed about this file (an exporter's folding), and numbers the
        // file holds outside the parameter count.
        for note in a.source.notes { out.append(note) }
        let uncounted = a.totals.uncountedConstants
        if !uncounted.isEmpty {
            let parts = uncounted.map { u in
                "\(u.elements.map(Formatting.count) ?? "too many to count") in \(Formatting.plural(u.tensors, "tensor")) of \(u.kind) (\(Formatting.list(u.examples.map { "\"\($0)\"" }))\(u.tensors > u.examples.count ? ", …" : ""))"
            }
            out.append("Beside the parameters, the file holds " + Formatting.list(parts) + "; these are not in the parameter count.")
        }
        // Raw text in: the layers that turn strings into numbers.
        let textReaders = leaves.filter { $0.op == "text_vectorization" || $0.op == "text_lookup" }
        if !textReaders.isEmpty {
            let shown = textReaders.prefix(3).map { r in "\(r.name) (\(r.className)\(r.outputShapes.first.flatMap { $0 }.map { ", to \($0)" } ?? ""))" }
            out.append("The model reads raw text: \(Formatting.list(shown)) \(textReaders.count == 1 ? "turns" : "turn") each text into numbers (token ids or counts) with the vocabulary stored in the model, before any \(unit) with weights sees it.")
        }
        // Padding masks: where they start and how far they travel.
        let maskedRows = leaves.filter(\.mask)
        if !maskedRows.isEmpty {
            let byName = Dictionary(leaves.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            let starts = maskedRows.filter { r in !r.inbound.contains { byName[$0]?.mask ?? false } }
            let readers = leaves.filter { r in !r.mask && r.inbound.contains { byName[$0]?.mask ?? false } }
            var text = "A padding mask (which time steps of a sequence are real and which are padding) starts at \(Formatting.list(starts.prefix(4).map { "\($0.name) (\($0.className))" }))"
                + " and travels with the data through \(Formatting.plural(maskedRows.count, unit)); the recurrent, attention and average-pooling \(unit)s it reaches skip the padded steps, so padding does not change their results."
            if !readers.isEmpty {
                text += " It ends at \(Formatting.list(readers.prefix(4).map(\.name)))\(readers.count > 4 ? " and others" : "")."
            }
            out.append(text)
        }
        let unsplit = a.totals.layersWithUnknownSplit
        if !unsplit.isEmpty {
            let named = Formatting.list(unsplit.prefix(5).map { "\"\($0)\"" }) + (unsplit.count > 5 ? " and \(unsplit.count - 5) more" : "")
            out.append("The file holds the weights of \(named) (\(unsplit.count == 1 ? "a class" : "classes") Strata does not know) but not which of them the optimizer trains, "
                       + "so \(unsplit.count == 1 ? "its" : "their") trainable and non-trainable counts, and the model's, are unknown; the total counts every stored weight.")
        }
        let frozen = leaves.filter { !$0.trainable && ($0.params ?? 0) > 0 && $0.op != "batch_normalization" }
        if !frozen.isEmpty {
            out.append("\(Formatting.plural(frozen.count, unit)) with weights \(frozen.count == 1 ? "is" : "are") frozen (trainable=False): \(Formatting.list(frozen.prefix(5).map(\.name)))\(frozen.count > 5 ? " and others" : ""); their weights count as non-trainable.")
        }

        // 4. Structure: repeated blocks, stages, merges, nesting, sharing.
        var structure: [String] = []
        let blocks = BlockStructure.detect(a)
        if blocks.blocks.count >= 2 {
            // Kinds by their base name (variants such as a stage's first block counted together).
            var kinds: [(label: String, count: Int)] = []
            for t in blocks.types {
                let base = t.label.components(separatedBy: " (").first ?? t.label
                if let i = kinds.firstIndex(where: { $0.label == base }) { kinds[i].count += t.count } else { kinds.append((base, t.count)) }
            }
            kinds.sort { $0.count > $1.count }
            var named = kinds.prefix(3).map { "\($0.count) \($0.label) block\($0.count == 1 ? "" : "s")" }
            let others = kinds.dropFirst(3).reduce(0) { $0 + $1.count }
            if others > 0 { named.append("\(others) other block\(others == 1 ? "" : "s")") }
            var text = "The model is built from repeated blocks: \(Formatting.list(named))"
            if blocks.stages.count > 1 { text += " in \(blocks.stages.count) stages" }
            if let inBlocks = blocks.params, let total = a.totals.params, total > 0 {
                text += ", holding \(Formatting.percent(inBlocks, of: total)) of the parameters"
            }
            if let run = blocks.runs.max(by: { $0.blocks.count < $1.blocks.count }), run.blocks.count >= 2 {
                text += "; the longest run repeats one \(blocks.types[run.type].label) block \(run.blocks.count) times (\(blocks.blocks[run.blocks.lowerBound].name) to \(blocks.blocks[run.blocks.upperBound - 1].name))"
            }
            structure.append(text + ".")
        }
        if a.stages.count > 1 {
            let shown = a.stages.prefix(8).map { "\($0.resolution.map(String.init).joined(separator: "×")) (up to \($0.maxChannels) channels)" }
            structure.append("The data passes through \(a.stages.count) resolutions: " + shown.joined(separator: " → ") + (a.stages.count > 8 ? " → …" : "") + ".")
        }
        if !a.merges.isEmpty {
            var counts: [String: Int] = [:]
            for m in a.merges { counts[m.className, default: 0] += 1 }
            let tally = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
            let inline = Set(a.operations.map(\.name))
            let inlineCount = a.merges.filter { inline.contains($0.layer) }.count
            let noun = inlineCount == a.merges.count ? "operation" : inlineCount == 0 ? unit : "place"
            var m = "\(Formatting.plural(a.merges.count, noun)) join\(a.merges.count == 1 ? "s" : "") branches (\(tallyText(tally)))"
            if inlineCount > 0 {
                m += "; \(inlineCount == a.merges.count ? (inlineCount == 1 ? "it is" : "all are") : "\(inlineCount) of them are") written inline in the model code (x + y), so \(format) does not list \(inlineCount == 1 ? "it" : "them") among its layers"
            }
            // Each join's role, named by the class of its first occurrence as the file names it.
            func named(_ op: String) -> String? {
                a.merges.first { $0.op == op }.map { "\(article($0.className)) \($0.className)" }
            }
            var roles: [String] = []
            if let add = named("add") { roles.append("\(add) sums branches of the same shape, typically a skip connection where a block's input is added back to its output (a residual block)") }
            if let concatenate = named("concatenate") { roles.append("\(concatenate) puts parallel branches side by side along the channels") }
            if let multiply = named("multiply") { roles.append("\(multiply) scales one branch by another, typically a learned gate (squeeze-and-excitation)") }
            if !roles.isEmpty { m += ": " + roles.joined(separator: "; ") }
            structure.append(m + ".")
        }
        let nested = rows.filter { !$0.children.isEmpty }
        if !nested.isEmpty {
            structure.append("\(Formatting.plural(nested.count, "layer")) \(nested.count == 1 ? "is a whole model" : "are whole models") used as one layer (\(Formatting.list(nested.prefix(4).map { "\($0.name): \($0.children.count) layers inside" }))); \(format) counts each as one layer, their weights included.")
        }
        let shared = rows.filter { $0.calls > 1 }
        if !shared.isEmpty {
            structure.append("\(Formatting.plural(shared.count, unit)) \(shared.count == 1 ? "is" : "are") applied more than once with the same weights (shared): \(Formatting.list(shared.prefix(4).map { "\($0.name) ×\($0.calls)" })).")
        }
        if a.inputs.count > 1 || a.outputs.count > 1 {
            structure.append("It takes \(Formatting.plural(a.inputs.count, "input")) and gives \(Formatting.plural(a.outputs.count, "output")).")
        }
        if !structure.isEmpty { out.append(structure.joined(separator: " ")) }

        // 5. Cost.
        let inputText = a.inputs.map { $0.shape.map { TensorShape(Array($0.dims.dropFirst())).description } ?? "?" }.joined(separator: " and ")
        var cost = ""
        if let macs = a.totals.macs {
            cost += "One forward pass on a single input of shape \(inputText) costs \(Formatting.si(macs)) multiply-accumulates (MACs; about \(Formatting.si(macs.multipliedReportingOverflow(by: 2).partialValue)) FLOPs)."
        } else {
            cost += "The multiply-accumulates could not be counted because some shapes are unknown."
        }
        cost += " The weights take \(Formatting.bytes(a.totals.weightBytes))"
        if let peak = a.totals.peakActivationBytes {
            cost += "; at most \(Formatting.bytes(peak)) of intermediate results are alive at once at batch 1"
        }
        out.append(cost + ".")

        let unsupported = a.flattenedRows.filter { !$0.supported }
        if !unsupported.isEmpty {
            out.append("Strata does not know \(Formatting.plural(unsupported.count, unit)) (\(tallyText(classTally(unsupported)))); \(unsupported.count == 1 ? "it is" : "they are") shown, but \(unsupported.count == 1 ? "its" : "their") weights are counted only when the file has them, and shapes after \(unsupported.count == 1 ? "it" : "them") are known only where the file records them.")
        }
        return out
    }
}
