import ArgumentParser
import Foundation
import ModelKit

/// Entry point: parses the command line and maps outcomes to Strata's exit codes
/// (0 done, 1 a model could not be read, 2 usage error).
public enum StrataMain {
    public static func main(_ arguments: [String]? = nil) -> Never {
        exit(run(arguments, guarded: true))
    }

    /// Runs a command line and returns the exit code (tests call this in-process). `guarded`:
    /// this process is the strata command itself, so a single-model command may install its
    /// crash and timeout guard (never in a test's process).
    public static func run(_ arguments: [String]?, output: OutputSink = .standard, guarded: Bool = false) -> Int32 {
        do {
            var command = try StrataCommand.parseAsRoot(arguments)
            if guarded, let single = command as? SingleModelCommand {
                WorkStage.guardSingleCommand(file: single.file, timeoutSeconds: single.timeout.seconds)
                WorkerFault.armIfAsked(single.file, announce: nil)
            }
            if var c = command as? OutputCommand {
                c.sink = output
                try c.execute()
                return 0
            }
            try command.run()
            return 0
        } catch let code as ExitCode {
            return code.rawValue
        } catch let failure as CommandFailure {
            output.error(failure.message)
            return failure.code
        } catch {
            let code = StrataCommand.exitCode(for: error)
            if code == .success {
                output.out(StrataCommand.fullMessage(for: error))
                return 0
            }
            output.error(StrataCommand.fullMessage(for: error))
            output.error("Run 'strata --help' for the commands and options.")
            return 2
        }
    }
}

/// A command failure with the exit code it maps to and a one-line message.
public struct CommandFailure: Error {
    public var message: String
    public var code: Int32
    public init(_ message: String, code: Int32 = 1) {
        self.message = message
        self.code = code
    }
}

/// Where commands print: the real streams, or buffers in tests.
public final class OutputSink: @unchecked Sendable {
    private let lock = NSLock()
    private let capture: Bool
    public private(set) var stdout = ""
    public private(set) var stderr = ""

    public init(capture: Bool) { self.capture = capture }

    public static var standard: OutputSink { OutputSink(capture: false) }

    /// True when printing to the real streams (not captured).
    public var isStandard: Bool { !capture }

    public func out(_ text: String) {
        let t = text.hasSuffix("\n") ? text : text + "\n"
        if capture { lock.lock(); stdout += t; lock.unlock() } else { FileHandle.standardOutput.write(Data(t.utf8)) }
    }

    /// Writes to standard error without a newline (the live progress line).
    public func errorRaw(_ text: String) {
        if capture { lock.lock(); stderr += text; lock.unlock() } else { FileHandle.standardError.write(Data(text.utf8)) }
    }

    public func error(_ text: String) {
        let t = text.hasSuffix("\n") ? text : text + "\n"
        if capture { lock.lock(); stderr += t; lock.unlock() } else { FileHandle.standardError.write(Data(t.utf8)) }
    }
}

/// Commands that print through an `OutputSink`.
protocol OutputCommand: ParsableCommand {
    var sink: OutputSink { get set }
    func execute() throws
}

struct StrataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strata",
        abstract: "Reports on neural-network models: layers, shapes, parameters, cost.",
        discussion: """
        Reads Keras 3 (.json, .keras), Keras 2 (.json, .h5) and ONNX (.onnx) models and counts \
        every layer's output shape, parameters (trainable and not), multiply-accumulates and \
        memory as the format's own tools count them (Keras; onnx's shape inference and \
        onnx-tool); times a forward pass on the CPU; writes PDF, SVG, Markdown and JSON reports.
        """,
        version: StrataVersion.current,
        subcommands: [SummaryCommand.self, DiffCommand.self, RenderCommand.self, ReportCommand.self, MergeCommand.self, ConfigCommand.self, LayersCommand.self, PredictCommand.self, TimeCommand.self, WorkerCommand.self, FuzzCommand.self]
    )
}
