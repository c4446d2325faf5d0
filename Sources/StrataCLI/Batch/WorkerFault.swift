import CGuard
import Foundation
import ModelKit

/// Faults a test can ask a worker for, to check that the batch contains each kind the way it
/// contains a damaged file: `STRATA_TEST_FAULT=FILE:KIND[@STAGE][;FILE:KIND[@STAGE]...]` in the batch's environment
/// makes the worker of the model file named FILE (its last path component) fail with KIND
/// when it enters the first stage that starts with STAGE (default: at once):
/// `segv` (a null-pointer write in C), `abort` (abort(), as glibc on heap corruption),
/// `hang` (sleeps forever), `memory` (allocates and touches memory until stopped), `exit`
/// (exits with code 7 without a result). The single-model commands (`summary`, `time`,
/// `predict`, `render`) honour it too when run as the strata process; nothing else does.
enum WorkerFault {
    static let variable = "STRATA_TEST_FAULT"

    /// The fault asked for the model file at `path`: its kind and the stage prefix it waits
    /// for (nil: at once).
    static func asked(for path: String) -> (kind: String, stage: String?)? {
        guard let specs = ProcessInfo.processInfo.environment[variable] else { return nil }
        for spec in specs.split(separator: ";") {
            let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0] == (path as NSString).lastPathComponent else { continue }
            let kindAndStage = parts[1].split(separator: "@", maxSplits: 1).map(String.init)
            return (kindAndStage[0], kindAndStage.count > 1 ? kindAndStage[1] : nil)
        }
        return nil
    }

    /// Streams every stage to `announce` (a worker's channel; nil: nowhere) and fires the
    /// fault asked for `path`, if any, at its stage.
    static func armIfAsked(_ path: String, announce: (@Sendable (String) -> Void)?) {
        let fault = asked(for: path)
        guard announce != nil || fault != nil else { return }
        WorkStage.observe { stage in
            announce?(stage)
            if let fault, let prefix = fault.stage, stage.hasPrefix(prefix) { fire(fault.kind) }
        }
        if let fault, fault.stage == nil { fire(fault.kind) }
    }

    static func fire(_ kind: String) {
        switch kind {
        case "segv": strata_guard_test_fault(0)
        case "abort": strata_guard_test_fault(1)
        case "hang": while true { sleep(3600) }
        case "memory":
            var blocks: [UnsafeMutableRawPointer] = []
            while true {
                let size = 16 << 20
                guard let p = malloc(size) else { continue }
                memset(p, 1, size)
                blocks.append(p)
            }
        case "exit": exit(7)
        default: return
        }
    }
}
