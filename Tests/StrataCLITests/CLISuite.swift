import Testing
@testable import StrataCLI

/// Suites that run the command line in-process, capturing what it prints.
protocol CLISuite {}

extension CLISuite {
    /// Runs `strata args...` and returns the exit code and the captured output.
    func run(_ args: [String]) -> (code: Int32, out: String, err: String) {
        let sink = OutputSink(capture: true)
        let code = StrataMain.run(args, output: sink)
        return (code, sink.stdout, sink.stderr)
    }
}
