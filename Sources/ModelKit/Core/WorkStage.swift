import CGuard
import Foundation

/// What this process is doing now, for the messages that name the stage a model failed in:
/// "crashed (SIGSEGV) while reading weights of conv2d_3", "stopped after 60 s while timing".
///
/// Readers, the analysis, the forward pass and the renderers call `enter` at each step that
/// may touch a damaged file or run long. The stage lives in static C memory, so a signal
/// handler can print it (single commands); a batch worker also streams every change to the
/// batch through `observe`, so the batch knows the stage of a worker that dies or hangs.
public enum WorkStage {
    /// Enters a stage ("reading the model config", "reading weights of conv2d_3").
    public static func enter(_ stage: String) {
        strata_guard_set_stage(stage)
        observer.current?(stage)
    }

    /// The model file the stages are about (named by single commands' crash messages).
    public static func setFile(_ file: String) { strata_guard_set_file(file) }

    /// The current stage ("" before the first).
    public static var current: String {
        var buffer = [CChar](repeating: 0, count: 512)
        strata_guard_copy_stage(&buffer, Int32(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Calls `body` with every stage entered from now on (a batch worker streams them).
    public static func observe(_ body: @escaping @Sendable (String) -> Void) { observer.current = body }

    /// Single commands: a crash (SIGSEGV, SIGABRT... inside a native library or Strata) ends
    /// the process with one line naming `file` and the stage, and exit code 1, never a core
    /// dump; with `timeoutSeconds`, so does a run longer than that.
    public static func guardSingleCommand(file: String, timeoutSeconds: Int?) {
        setFile(file)
        strata_guard_install_crash_handlers()
        if let t = timeoutSeconds, t > 0 { strata_guard_set_timeout(UInt32(min(t, Int(UInt32.max)))) }
    }

    /// Limits this process's address space to `bytes` (nil: no limit) and turns core dumps
    /// off. Returns false when the limit could not be set.
    @discardableResult
    public static func limitMemory(bytes: Int?) -> Bool {
        strata_guard_limit_memory(UInt64(max(0, bytes ?? 0))) == 0
    }

    private static let observer = Observer()

    private final class Observer: @unchecked Sendable {
        private let lock = NSLock()
        private var body: (@Sendable (String) -> Void)?
        var current: (@Sendable (String) -> Void)? {
            get { lock.lock(); defer { lock.unlock() }; return body }
            set { lock.lock(); body = newValue; lock.unlock() }
        }
    }
}
