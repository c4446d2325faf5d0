import Foundation
import ModelKit

/// Runs batch jobs in worker processes, at most `jobs` at a time, and contains whatever
/// happens inside them: a worker that dies on a signal, exceeds its time or its memory, or
/// exits without a result fails its own model, with the reason and the stage it was in.
///
/// Timed forward passes never overlap with any other work: a worker that is ready to time
/// waits until no other worker is busy, new workers are not started while one waits, and
/// the worker given its turn times alone. The time a worker spends waiting for its turn does
/// not count against its time limit.
///
/// One thread runs the loop: it polls the workers' pipes, reads their messages, watches
/// their time and resident memory, and reaps them.
final class WorkerPool {
    struct Limits {
        /// The strata binary the workers run.
        var executable: String
        var jobs: Int
        /// Seconds of work a model may take (reading, analysing, timing, rendering); nil: none.
        var timeoutSeconds: Double?
        /// Resident bytes a worker may use; it is stopped above them. nil: no limit.
        var memoryBytes: Int?
    }

    /// What happened to one job.
    struct Outcome {
        /// The worker's result (a reported model, or one the worker itself found failing).
        var result: WorkerProtocol.Result?
        /// Why the worker produced no result (crashed, stopped, exited), naming the stage.
        var failure: String?
        /// The worker's peak resident memory in kB.
        var peakRSSKB: Int
        var seconds: Double
    }

    enum Event {
        case stage(WorkerProtocol.Job, String)
        case log(WorkerProtocol.Job, String, always: Bool)
        case finished(WorkerProtocol.Job, Outcome)
    }

    let limits: Limits

    init(limits: Limits) { self.limits = limits }

    private enum State { case busy, waiting, timing }

    private final class Slot {
        let job: WorkerProtocol.Job
        let process: WorkerProcess
        var state: State = .busy
        var stage = "starting"
        var pending: [UInt8] = []
        var errorTail: [UInt8] = []
        var result: WorkerProtocol.Result?
        var protocolError: String?
        var stopReason: String?
        let started = Date()
        /// Seconds of work before the current busy period, and when that period began.
        var workedBefore = 0.0
        var busySince: Date? = Date()
        var lastMemoryCheck = Date.distantPast
        var outputClosed = false
        var errorClosed = false
        var waitingSince = Date.distantPast

        init(job: WorkerProtocol.Job, process: WorkerProcess) {
            self.job = job
            self.process = process
        }

        var worked: Double { workedBefore + (busySince.map { Date().timeIntervalSince($0) } ?? 0) }
    }

    /// Runs every job `next` hands out (it is called whenever a worker may start; nil: no more)
    /// and reports events to `handle` on this thread.
    func run(next: () -> WorkerProtocol.Job?, handle: (Event) -> Void) {
        var slots: [Slot] = []
        var exhausted = false
        while true {
            // Start workers while nothing waits to be timed.
            while !exhausted, slots.count < max(1, limits.jobs), !slots.contains(where: { $0.state != .busy }) {
                guard let job = next() else { exhausted = true; break }
                do {
                    let process = try WorkerProcess(executable: limits.executable, arguments: ["__worker"])
                    let slot = Slot(job: job, process: process)
                    var line = (try? JSONEncoder().encode(job)) ?? Data()
                    line.append(0x0A)
                    process.send(line)
                    slots.append(slot)
                } catch {
                    handle(.finished(job, Outcome(result: nil, failure: "could not start a worker: \(error)", peakRSSKB: 0, seconds: 0)))
                }
            }
            if slots.isEmpty && exhausted { return }

            // Give one waiting worker its turn to time when nobody else is working.
            if !slots.contains(where: { $0.state == .busy || $0.state == .timing }),
               let slot = slots.filter({ $0.state == .waiting }).min(by: { $0.waitingSince < $1.waitingSince }) {
                slot.state = .timing
                slot.busySince = Date()
                if !slot.process.send(Data("go\n".utf8)) { slot.process.closeInput() }
            }

            poll(slots, handle: handle)

            for slot in slots { watch(slot) }
            var still: [Slot] = []
            for slot in slots {
                if let exit = slot.process.reap() {
                    drain(slot, handle: handle)
                    handle(.finished(slot.job, outcome(slot, exit)))
                } else {
                    still.append(slot)
                }
            }
            slots = still
        }
    }

    /// Waits up to 50 ms for output from any worker and handles what arrived.
    private func poll(_ slots: [Slot], handle: (Event) -> Void) {
        var fds: [pollfd] = []
        var owners: [(Slot, Bool)] = []
        for slot in slots {
            if !slot.outputClosed { fds.append(pollfd(fd: slot.process.output, events: Int16(POLLIN), revents: 0)); owners.append((slot, true)) }
            if !slot.errorClosed { fds.append(pollfd(fd: slot.process.error, events: Int16(POLLIN), revents: 0)); owners.append((slot, false)) }
        }
        guard !fds.isEmpty else { usleep(20_000); return }
        let n = Glibc.poll(&fds, nfds_t(fds.count), 50)
        guard n > 0 else { return }
        for (i, fd) in fds.enumerated() where fd.revents != 0 {
            let (slot, isOutput) = owners[i]
            readAvailable(slot, output: isOutput, handle: handle)
        }
    }

    /// Reads what a pipe holds now; handles complete message lines.
    private func readAvailable(_ slot: Slot, output: Bool, handle: (Event) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(output ? slot.process.output : slot.process.error, &buffer, buffer.count)
            if n > 0 {
                if output {
                    slot.pending += buffer[0..<n]
                    lines(slot, handle: handle)
                } else {
                    slot.errorTail += buffer[0..<n]
                    if slot.errorTail.count > 8192 { slot.errorTail.removeFirst(slot.errorTail.count - 8192) }
                }
                continue
            }
            if n == 0 { if output { slot.outputClosed = true } else { slot.errorClosed = true } }
            else if errno == EINTR { continue }
            return
        }
    }

    /// Reads whatever is left in a finished worker's pipes.
    private func drain(_ slot: Slot, handle: (Event) -> Void) {
        if !slot.outputClosed { readAvailable(slot, output: true, handle: handle) }
        if !slot.errorClosed { readAvailable(slot, output: false, handle: handle) }
    }

    private func lines(_ slot: Slot, handle: (Event) -> Void) {
        while let end = slot.pending.firstIndex(of: 0x0A) {
            let line = Data(slot.pending[..<end])
            slot.pending.removeSubrange(...end)
            guard let message = try? JSONDecoder().decode(WorkerProtocol.Message.self, from: line) else {
                slot.protocolError = "the worker wrote a line that is not a protocol message: \(String(decoding: line.prefix(200), as: UTF8.self))"
                continue
            }
            guard message.v == WorkerProtocol.version else {
                slot.protocolError = "the worker speaks protocol version \(message.v), the batch \(WorkerProtocol.version)"
                continue
            }
            switch message.type {
            case .stage:
                slot.stage = message.text ?? slot.stage
                handle(.stage(slot.job, slot.stage))
            case .log:
                handle(.log(slot.job, message.text ?? "", always: message.always ?? false))
            case .readyToTime:
                slot.workedBefore = slot.worked
                slot.busySince = nil
                slot.state = .waiting
                slot.waitingSince = Date()
                slot.stage = "waiting for its turn to time the forward pass"
                handle(.stage(slot.job, slot.stage))
            case .timed:
                slot.state = .busy
            case .result:
                slot.result = message.result
            }
        }
    }

    /// Stops a worker over its time or memory limit.
    private func watch(_ slot: Slot) {
        guard slot.stopReason == nil else { return }
        if let limit = limits.timeoutSeconds, slot.state != .waiting, slot.worked > limit {
            slot.stopReason = "stopped after \(Self.seconds(limit)) while \(slot.stage) (the time limit: --model-timeout, batch.model_timeout)"
            slot.process.kill()
            return
        }
        if let limit = limits.memoryBytes, Date().timeIntervalSince(slot.lastMemoryCheck) >= 0.025 {
            slot.lastMemoryCheck = Date()
            if let rss = slot.process.residentBytes(), rss > limit {
                slot.stopReason = "stopped at the \(Self.binaryBytes(limit)) memory limit while \(slot.stage) (it held \(Self.binaryBytes(rss)); --model-memory, batch.model_memory)"
                slot.process.kill()
            }
        }
    }

    private func outcome(_ slot: Slot, _ exit: WorkerProcess.Exit) -> Outcome {
        let seconds = Date().timeIntervalSince(slot.started)
        func failed(_ why: String) -> Outcome { Outcome(result: nil, failure: why, peakRSSKB: exit.peakRSSKB, seconds: seconds) }
        if let reason = slot.stopReason { return failed(reason) }
        let said = lastErrorLine(slot)
        if let signal = exit.signal {
            let name = Self.signalName(signal)
            if signal == SIGKILL {
                return failed("killed (\(name)) from outside while \(slot.stage)" + (said.map { "; it said: \($0)" } ?? ""))
            }
            if let said, Self.looksLikeOutOfMemory(said), limits.memoryBytes != nil {
                return failed("ran out of memory under the \(Self.binaryBytes(limits.memoryBytes!)) memory limit while \(slot.stage); it said: \(said)")
            }
            return failed("crashed (\(name)) while \(slot.stage)" + (said.map { "; it said: \($0)" } ?? "")
                          + (signal == SIGSEGV || signal == SIGBUS || signal == SIGABRT ? " (the file is probably damaged: a native library failed on it)" : ""))
        }
        guard exit.exitCode == 0, let result = slot.result else {
            let detail = slot.protocolError ?? said
            return failed("the worker ended with exit code \(exit.exitCode ?? -1) while \(slot.stage) without a result" + (detail.map { ": \($0)" } ?? ""))
        }
        return Outcome(result: result, failure: nil, peakRSSKB: exit.peakRSSKB, seconds: seconds)
    }

    /// The last line the worker wrote on standard error that explains a failure (a Swift
    /// fatal error, a glibc, C++ or libhdf5 message), shortened; nil when there is none.
    private func lastErrorLine(_ slot: Slot) -> String? {
        let text = String(decoding: slot.errorTail, as: UTF8.self)
        let telling = ["fatal error", "terminate called", "what():", "malloc", "free()", "double free", "corrupted", "assertion",
                       "could not allocate", "cannot allocate", "out of memory", "bad_alloc", "hdf5", "stack overflow"]
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let last = lines.last(where: { line in let l = line.lowercased(); return telling.contains { l.contains($0) } }) else { return nil }
        return last.count > 300 ? String(last.prefix(300)) + "…" : last
    }

    static func looksLikeOutOfMemory(_ text: String) -> Bool {
        let t = text.lowercased()
        return t.contains("bad_alloc") || t.contains("allocate memory") || t.contains("out of memory") || t.contains("cannot allocate")
    }

    /// Bytes in binary units, as limits are given: 8 GiB, 512 MiB, 1.5 GiB.
    static func binaryBytes(_ n: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var v = Double(n)
        var u = 0
        while v >= 1024 && u < units.count - 1 { v /= 1024; u += 1 }
        if u == 0 { return "\(n) bytes" }
        return (v == v.rounded() ? String(Int(v)) : String(format: v >= 100 ? "%.0f" : "%.1f", v)) + " " + units[u]
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGSEGV: return "SIGSEGV"
        case SIGABRT: return "SIGABRT"
        case SIGBUS: return "SIGBUS"
        case SIGILL: return "SIGILL"
        case SIGFPE: return "SIGFPE"
        case SIGTRAP: return "SIGTRAP"
        case SIGKILL: return "SIGKILL"
        case SIGTERM: return "SIGTERM"
        case SIGPIPE: return "SIGPIPE"
        default: return "signal \(signal)"
        }
    }
}
