import ArgumentParser

/// `--model-timeout SECONDS` of the single-model commands: a run longer than that ends with
/// exit code 1 and a message naming the file and the stage (no limit unless given).
struct ModelTimeoutOption: ParsableArguments {
    @Option(name: .customLong("model-timeout"), help: ArgumentHelp(
        "Stop with exit code 1 after this many seconds (a damaged file can make a native library hang). Default: no limit.",
        valueName: "seconds"))
    var seconds: Int?

    func validate() throws {
        if let seconds, seconds < 1 { throw ValidationError("--model-timeout must be at least 1 second, given \(seconds)") }
    }
}

/// A command on one model file. Run as the strata process (not in-process by a test), it is
/// guarded: a crash inside a native library or Strata ends with one line naming the file
/// and the stage and exit code 1, never a signal or a core dump; `--model-timeout` cuts a
/// hang the same way.
protocol SingleModelCommand {
    var file: String { get }
    var timeout: ModelTimeoutOption { get }
}

extension SummaryCommand: SingleModelCommand {}
extension TimeCommand: SingleModelCommand {}
extension PredictCommand: SingleModelCommand {}
extension RenderCommand: SingleModelCommand {}
