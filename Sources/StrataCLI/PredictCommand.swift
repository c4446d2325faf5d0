import ArgumentParser
import Foundation
import Kernels
import Execution
import ModelKit

/// `strata predict FILE --input in.npy [--input ...] (--output out.npy | --output-dir DIR)`:
/// runs the model's forward pass with its stored weights.
struct PredictCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Run a model with its stored weights on .npy inputs and write its outputs as .npy files.",
        discussion: """
        Inputs are given in the model's input order; each must have the model's input shape \
        (any batch size). Outputs are written in the model's output order, in the dtypes the \
        model declares for them (float32 for Keras models). Exit codes: 0 done; 1 the model, its weights or an input could not \
        be read or run; 2 usage error.
        """
    )

    @Argument(help: "A model with weights: .keras archive, Keras 2 .h5 or .onnx.")
    var file: String

    @Option(name: .customLong("input"), help: ArgumentHelp("An input tensor (.npy); repeat once per model input, in order.", valueName: "npy"))
    var inputs: [String] = []

    @Option(name: .long, help: ArgumentHelp("Where to write the output (single-output models).", valueName: "npy"))
    var output: String?

    @Option(name: .customLong("output-dir"), help: ArgumentHelp("Folder for output_0.npy, output_1.npy, ...", valueName: "dir"))
    var outputDir: String?

    @Option(name: .customLong("memory-limit"), help: ArgumentHelp(
        "Most bytes the execution plan may hold (packed weights, activations, scratchpad): 2G, 512M or a number. Default: half the physical memory.",
        valueName: "bytes"))
    var memoryLimit: String?

    @Flag(name: .customLong("reference"), help: "Run on the reference interpreter (plain Swift, slow) instead of the compiled plan: a cross-check for a result in doubt.")
    var reference = false

    @OptionGroup var timeout: ModelTimeoutOption

    var sink: OutputSink = .standard

    enum CodingKeys: String, CodingKey { case file, inputs, output, outputDir, memoryLimit, reference, timeout }

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one --input file") }
        guard (output == nil) != (outputDir == nil) else { throw ValidationError("give exactly one of --output and --output-dir") }
        if let memoryLimit, ModelRunSetup.parseBytes(memoryLimit) == nil {
            throw ValidationError("--memory-limit must be a byte count such as 2G, 512M or 1000000, given \(memoryLimit)")
        }
    }

    func execute() throws {
        let graph: ModelGraph
        let weights: WeightSet
        do {
            let model = try FormatRegistry.standard.open(file)
            graph = model.graph
            weights = try ModelRunSetup.weights(model, analysis: Analyzer.analyze(graph))
            if weights.seeded { sink.error(ModelRunSetup.seededNote(file)) }
            for d in weights.diagnostics { sink.error("strata: warning: \(d.message)") }
        } catch let e as StrataError {
            throw CommandFailure("strata: error: \(e.inFile(file))")
        }
        // A node the engine cannot run is refused before any input is read.
        if let refusal = Executor.unsupportedNode(in: graph) { throw CommandFailure("strata: error: \(file): \(refusal.message)") }
        let declared = Analyzer.declaredInputShapes(graph)
        guard inputs.count == declared.count else {
            throw CommandFailure("strata: error: \(file): the model has \(declared.count) input(s); \(inputs.count) --input file(s) were given", code: 2)
        }
        var tensors: [Tensor] = []
        for input in PredictInput.inputs(of: graph, paths: inputs) {
            let array: NPYArray
            do { array = try NPY.read(path: input.path) } catch {
                throw CommandFailure("strata: error: \(error)")
            }
            tensors.append(try input.tensor(array))
            if let note = input.conversionNote(array) { sink.error(note) }
        }
        let outputs: [Tensor]
        do {
            if reference {
                outputs = try Executor(graph: graph, weights: weights.tensors).run(tensors)
            } else {
                let (runner, _) = try ModelRunSetup.makeRunner(graph: graph, weights: weights.tensors, inputShapes: tensors.map(\.shape),
                                                               threads: nil, memoryLimit: memoryLimit.flatMap(ModelRunSetup.parseBytes))
                outputs = try runner.run(tensors, layerTimer: nil)
            }
        } catch let e as ExecutionError {
            throw CommandFailure("strata: error: \(file): \(e.message)")
        }
        var written: [String] = []
        if let output {
            guard outputs.count == 1 else {
                throw CommandFailure("strata: error: \(file): the model has \(outputs.count) outputs; use --output-dir", code: 2)
            }
            written = [output]
        } else if let outputDir {
            do { try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true) } catch {
                throw CommandFailure("strata: error: \(outputDir): cannot create the folder: \(error.localizedDescription)")
            }
            written = outputs.indices.map { URL(fileURLWithPath: outputDir).appendingPathComponent("output_\($0).npy").path }
        }
        for (i, (t, path)) in zip(outputs, written).enumerated() {
            // Each output in the dtype the graph declares for it (float32 when it says none).
            let dtype = i < graph.outputDTypes.count ? NPYDType(rawValue: graph.outputDTypes[i].name) ?? .float32 : .float32
            do { try NPY.write(t, as: dtype, to: path) } catch { throw CommandFailure("strata: error: \(path): \(error)") }
            sink.out("\(path): \(Self.text(t.shape))")
        }
    }

    static func text(_ shape: [Int]) -> String { "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")") }
}
