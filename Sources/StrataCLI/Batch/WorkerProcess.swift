import Foundation
import ModelKit

/// A worker process: the strata binary spawned (never forked: the batch has threads) with
/// pipes on its standard input, output and error. Owns the pipe descriptors and reaps the
/// process; the batch's event loop reads the pipes.
final class WorkerProcess {
    let pid: pid_t
    /// Our ends of the pipes: standard input (write), output and error (read, non-blocking).
    private(set) var input: Int32
    let output: Int32
    let error: Int32

    /// Spawns `executable arguments…`; throws naming the executable when it cannot start.
    init(executable: String, arguments: [String]) throws {
        var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw WorkerProcess.failure("cannot create pipes for a worker")
        }
        for fd in [inPipe[1], outPipe[0], errPipe[0]] { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        for fd in [outPipe[0], errPipe[0]] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in [inPipe[0], outPipe[1], errPipe[1]] { posix_spawn_file_actions_addclose(&actions, fd) }

        // Default signal handling in the worker (the batch ignores SIGPIPE; a worker whose
        // batch is gone should die of it) and no blocked signals.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let envp = Self.environment.map { strdup($0) } + [nil]
        defer { for p in envp { free(p) } }
        var child = pid_t()
        let rc = posix_spawn(&child, executable, &actions, &attr, argv, envp)
        for fd in [inPipe[0], outPipe[1], errPipe[1]] { close(fd) }
        guard rc == 0 else {
            for fd in [inPipe[1], outPipe[0], errPipe[0]] { close(fd) }
            throw StrataError(file: executable, "cannot start it as a worker: \(String(cString: strerror(rc)))")
        }
        pid = child
        input = inPipe[1]
        output = outPipe[0]
        error = errPipe[0]
    }

    /// The workers' environment: the batch's, without Swift's crash backtracer (a crash in a
    /// worker is an expected outcome the batch reports in one line; the backtracer would
    /// spend a second on each and fill the log).
    static let environment: [String] = {
        var env = ProcessInfo.processInfo.environment
        env["SWIFT_BACKTRACE"] = "enable=no"
        return env.map { "\($0.key)=\($0.value)" }.sorted()
    }()

    /// Writes `data` to the worker's standard input; false when the worker is gone.
    @discardableResult
    func send(_ data: Data) -> Bool {
        guard input >= 0 else { return false }
        return data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = write(input, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    /// Closes the worker's standard input (it reads end of input).
    func closeInput() {
        if input >= 0 { close(input); input = -1 }
    }

    func kill(_ signal: Int32 = SIGKILL) { _ = Foundation.kill(pid, signal) }

    /// How the process ended, once it has: its wait status and peak resident memory (KB).
    struct Exit {
        var status: Int32
        var peakRSSKB: Int
        var signal: Int32? { (status & 0x7F) != 0 && (status & 0x7F) != 0x7F ? status & 0x7F : nil }
        var exitCode: Int32? { (status & 0x7F) == 0 ? (status >> 8) & 0xFF : nil }
    }

    /// The exit, without waiting; nil while the process runs.
    func reap() -> Exit? {
        var status: Int32 = 0
        var usage = rusage()
        let r = wait4(pid, &status, WNOHANG, &usage)
        guard r == pid else { return nil }
        return Exit(status: status, peakRSSKB: usage.ru_maxrss)
    }

    /// Resident memory now, in bytes (from /proc), nil when it cannot be read.
    func residentBytes() -> Int? {
        let fd = open("/proc/\(pid)/statm", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let n = read(fd, &buffer, buffer.count)
        guard n > 0 else { return nil }
        let fields = String(decoding: buffer[0..<n], as: UTF8.self).split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    deinit {
        closeInput()
        close(output)
        close(error)
    }

    static func failure(_ what: String) -> StrataError {
        StrataError("\(what): \(String(cString: strerror(errno)))")
    }
}
