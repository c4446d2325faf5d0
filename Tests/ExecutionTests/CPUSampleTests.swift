import Testing
@testable import Execution
import ModelKit

/// How much CPU other processes took while the profiler timed: /proc/stat's busy ticks
/// less this process's own, over the wall time.
@Suite struct CPUSampleTests {
    /// 300 busy ticks on the machine, 150 of them ours, over 1 s at 100 ticks a second:
    /// others used 150 ticks = 1.5 s of CPU in 1 s, 1.5 cores.
    @Test func otherLoadByHand() throws {
        let a = CPUSample(machineBusy: 1000, own: 100)
        let b = CPUSample(machineBusy: 1300, own: 250)
        let load = try #require(CPUSample.otherLoad(from: a, to: b, seconds: 1.0))
        #expect(abs(load - 150 / CPUSample.ticksPerSecond) < 1e-12)
        if CPUSample.ticksPerSecond == 100 { #expect(load == 1.5) }
        #expect(CPUSample.otherLoad(from: a, to: b, seconds: 0.1) == nil, "too short for 10 ms ticks")
        #expect(CPUSample.otherLoad(from: a, to: CPUSample(machineBusy: 1100, own: 250), seconds: 1) == 0, "never negative")
    }

    @Test func samplesAreReadOnLinux() throws {
        let s = try #require(CPUSample.now())
        #expect(s.machineBusy >= s.own)
        #expect(s.own >= 0)
    }

    @Test func disturbedFromAQuarterOfACore() {
        var t = ForwardTiming(runs: 1, requestedRuns: 1, warmup: 0, threads: 1, requestedThreads: 1, runMs: [1], layers: [],
                              instrumentedRuns: 1, peakRSSBytes: nil, backend: "test")
        #expect(!t.disturbed)
        t.otherCPULoad = 0.2
        #expect(!t.disturbed)
        t.otherCPULoad = 0.25
        #expect(t.disturbed)
    }
}
