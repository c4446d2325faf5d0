import ArgumentParser
import CGuard
import Foundation
import ModelKit

/// `strata __worker`: one model of a batch, in a process of its own (see `WorkerProtocol`).
/// Not for people: the batch starts it, hands it a job on standard input and reads its
/// messages on standard output.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "__worker",
        abstract: "Internal: runs one model of a batch (started by strata report).",
        shouldDisplay: false
    )

    func run() throws {
        // The protocol gets standard output to itself: anything a library prints goes to
        // standard error instead.
        let out = dup(STDOUT_FILENO)
        guard out >= 0 else { throw CommandFailure("strata __worker: cannot duplicate standard output") }
        dup2(STDERR_FILENO, STDOUT_FILENO)
        let channel = WorkerChannel(fd: out)

        guard let line = readLine(strippingNewline: true), let data = line.data(using: .utf8) else {
            throw CommandFailure("strata __worker: expected a job (one line of JSON) on standard input; this command is started by strata report")
        }
        let job: WorkerProtocol.Job
        do { job = try JSONDecoder().decode(WorkerProtocol.Job.self, from: data) } catch {
            throw CommandFailure("strata __worker: the job on standard input is not a Strata worker job (protocol version \(WorkerProtocol.version)): \(error)")
        }
        guard job.v == WorkerProtocol.version else {
            throw CommandFailure("strata __worker: job of protocol version \(job.v); this strata speaks version \(WorkerProtocol.version)")
        }
        // Never outlive the batch, never leave a core dump, stay inside the memory limit.
        _ = strata_guard_die_with_parent()
        if getppid() != job.parentPid { throw CommandFailure("strata __worker: the batch that started this worker is gone") }
        WorkStage.limitMemory(bytes: job.addressSpaceLimit)
        WorkStage.setFile(job.path)
        WorkerFault.armIfAsked(job.path) { channel.send(.init(.stage, text: $0)) }

        let result = ModelJob(job: job, emit: { channel.send($0) }, waitForTurn: {
            // The batch writes "go" when this worker may time its model; end of input means
            // the batch is gone.
            guard readLine() != nil else { Glibc.exit(1) }
        }).run()
        channel.send(.init(.result, result: result))
        // Done: end without exit handlers. A native library that a damaged file left in a bad
        // state can crash in them (libhdf5's does), which would turn a complete result into
        // a crash.
        _exit(0)
    }
}

/// The worker's end of the protocol: whole lines written with one `write` each.
final class WorkerChannel: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()

    init(fd: Int32) { self.fd = fd }

    func send(_ message: WorkerProtocol.Message) {
        let data = WorkerProtocol.line(message)
        lock.lock(); defer { lock.unlock() }
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { if errno == EINTR { continue }; exit(1) }   // the batch is gone
                offset += n
            }
        }
    }
}
