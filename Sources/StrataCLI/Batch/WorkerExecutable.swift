import Foundation
import ModelKit

/// Where the batch finds the strata binary its workers run, and the limits it gives them.
public enum WorkerExecutable {
    /// Environment variable naming the strata binary workers run (tests, unusual installs).
    public static let variable = "STRATA_EXECUTABLE"

    /// The strata binary: `$STRATA_EXECUTABLE`, this process's own binary when it is strata,
    /// or a `strata` beside it (or one folder up: a test bundle in the build folder).
    public static func resolve() throws -> String {
        let fm = FileManager.default
        if let path = ProcessInfo.processInfo.environment[variable], !path.isEmpty {
            guard fm.isExecutableFile(atPath: path) else {
                throw StrataError(file: path, "\(variable) names no executable file")
            }
            return path
        }
        let me = (try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        if (me as NSString).lastPathComponent == "strata" { return me }
        var folder = (me as NSString).deletingLastPathComponent
        for _ in 0..<4 {
            let candidate = (folder as NSString).appendingPathComponent("strata")
            if fm.isExecutableFile(atPath: candidate) { return candidate }
            folder = (folder as NSString).deletingLastPathComponent
        }
        throw StrataError(file: me, "cannot find the strata executable the batch runs its workers with; set \(variable)")
    }

    /// Half the physical memory: the default memory limit of one model's worker.
    public static var defaultModelMemory: Int { Int(ProcessInfo.processInfo.physicalMemory / 2) }

    /// The address-space limit (RLIMIT_AS) of a worker whose resident memory may reach
    /// `resident` bytes: twice that plus 4 GiB, since a process maps much more than it
    /// touches (thread stacks, allocator arenas, libraries). The batch stops the worker at
    /// the resident limit; this backstop makes a single huge allocation fail at once instead
    /// of swapping the machine.
    public static func addressSpace(forResident resident: Int) -> Int {
        let (doubled, overflow) = resident.multipliedReportingOverflow(by: 2)
        return overflow ? Int.max : doubled.addingReportingOverflow(4 << 30).overflow ? Int.max : doubled + (4 << 30)
    }
}
