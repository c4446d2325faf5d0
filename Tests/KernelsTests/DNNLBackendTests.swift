import Foundation
import Testing
@testable import Kernels

/// SplitMix64: the same numbers on every run.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func random(_ shape: [Int], seed: UInt64) -> Tensor {
    var g = SeededGenerator(state: seed)
    let n = shape.reduce(1, *)
    return Tensor(shape: shape, data: (0..<n).map { _ in Float.random(in: -1...1, using: &g) })
}

/// Element-wise |a - b| <= 1e-4 * max(|b|, 1), same shape.
private func expectClose(_ a: Tensor, _ b: Tensor, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.shape == b.shape, "\(what): shape \(a.shape) vs \(b.shape)", sourceLocation: sourceLocation)
    guard a.shape == b.shape else { return }
    var worst: Float = 0, worstIndex = -1
    for i in 0..<b.count {
        let err = abs(a.data[i] - b.data[i]) / max(abs(b.data[i]), 1)
        if !(err <= worst) { worst = err; worstIndex = i }
    }
    #expect(worst <= 1e-4, "\(what): worst relative error \(worst) at \(worstIndex)", sourceLocation: sourceLocation)
}

private let reference = ReferenceBackend()

@Suite(.serialized)
struct DNNLBackendTests {
    let backend: DNNLBackend

    init() throws {
        #expect(DNNLBackend.isAvailable)
        backend = try DNNLBackend()
    }

    private func checkConv(
        _ what: String, input: [Int], kernel: [Int], groups: Int = 1, strides: [Int], dilation: [Int] = [1, 1],
        padding: WindowPadding, bias: Bool = true, seed: UInt64
    ) {
        let x = random(input, seed: seed)
        let k = random(kernel, seed: seed &+ 1)
        let b = bias ? random([kernel[3]], seed: seed &+ 2) : nil
        let window = Window2D(kernel: [kernel[0], kernel[1]], strides: strides, dilation: dilation, padding: padding)
        let before = backend.fallbackCount
        let got = backend.conv2d(x, kernel: k, bias: b, window: window, groups: groups)
        #expect(backend.fallbackCount == before, "\(what) fell back: \(backend.fallbackMessages)")
        expectClose(got, reference.conv2d(x, kernel: k, bias: b, window: window, groups: groups), what)
    }

    @Test func conv2dMatchesReference() {
        checkConv("3x3 s1 same", input: [2, 9, 11, 8], kernel: [3, 3, 8, 16], strides: [1, 1], padding: .same, seed: 1)
        checkConv("3x3 s2 same", input: [1, 10, 9, 8], kernel: [3, 3, 8, 12], strides: [2, 2], padding: .same, seed: 2)
        checkConv("3x3 s2 valid", input: [1, 10, 9, 8], kernel: [3, 3, 8, 12], strides: [2, 2], padding: .valid, seed: 3)
        checkConv("5x5 s2 same even", input: [1, 12, 12, 3], kernel: [5, 5, 3, 8], strides: [2, 2], padding: .same, seed: 4)
        checkConv("3x3 dilation 2 same", input: [1, 12, 13, 8], kernel: [3, 3, 8, 8], strides: [1, 1], dilation: [2, 2],
                  padding: .same, seed: 5)
        checkConv("3x3 dilation 2 valid", input: [1, 12, 13, 8], kernel: [3, 3, 8, 8], strides: [1, 1], dilation: [2, 2],
                  padding: .valid, seed: 6)
        checkConv("3x3 groups 2", input: [2, 8, 8, 8], kernel: [3, 3, 4, 12], groups: 2, strides: [1, 1], padding: .same, seed: 7)
        checkConv("3x3 groups 4 s2 no bias", input: [1, 9, 9, 16], kernel: [3, 3, 4, 8], groups: 4, strides: [2, 2],
                  padding: .valid, bias: false, seed: 8)
        checkConv("1x1", input: [2, 7, 7, 32], kernel: [1, 1, 32, 16], strides: [1, 1], padding: .valid, seed: 9)
        checkConv("1x1 no bias", input: [1, 5, 5, 16], kernel: [1, 1, 16, 24], strides: [1, 1], padding: .same,
                  bias: false, seed: 10)
        checkConv("3x1 asymmetric", input: [1, 9, 8, 4], kernel: [3, 1, 4, 6], strides: [2, 1], padding: .same, seed: 11)
    }

    @Test(arguments: [
        (1, [1, 1], WindowPadding.same), (2, [1, 1], .same), (1, [2, 2], .same), (2, [2, 2], .valid), (1, [1, 1], .valid),
    ])
    func depthwiseMatchesReference(dm: Int, strides: [Int], padding: WindowPadding) {
        let x = random([2, 10, 9, 6], seed: 20)
        let k = random([3, 3, 6, dm], seed: 21)
        let b = random([6 * dm], seed: 22)
        let window = Window2D(kernel: [3, 3], strides: strides, padding: padding)
        let before = backend.fallbackCount
        let got = backend.depthwiseConv2d(x, kernel: k, bias: b, window: window)
        #expect(backend.fallbackCount == before, "\(backend.fallbackMessages)")
        expectClose(got, reference.depthwiseConv2d(x, kernel: k, bias: b, window: window), "depthwise dm \(dm) \(strides) \(padding)")
        let noBias = backend.depthwiseConv2d(x, kernel: k, bias: nil, window: window)
        expectClose(noBias, reference.depthwiseConv2d(x, kernel: k, bias: nil, window: window), "depthwise dm \(dm) no bias")
    }

    @Test func denseMatchesReference() {
        let before = backend.fallbackCount
        let k = random([24, 10], seed: 31), b = random([10], seed: 32)
        let x2 = random([5, 24], seed: 30)
        expectClose(backend.dense(x2, kernel: k, bias: b), reference.dense(x2, kernel: k, bias: b), "dense rank 2")
        expectClose(backend.dense(x2, kernel: k, bias: nil), reference.dense(x2, kernel: k, bias: nil), "dense rank 2 no bias")
        let x4 = random([2, 3, 4, 24], seed: 33)
        let got = backend.dense(x4, kernel: k, bias: b)
        #expect(got.shape == [2, 3, 4, 10])
        expectClose(got, reference.dense(x4, kernel: k, bias: b), "dense rank 4")
        let x1 = random([1, 300], seed: 34), kBig = random([300, 70], seed: 35), bBig = random([70], seed: 36)
        expectClose(backend.dense(x1, kernel: kBig, bias: bBig), reference.dense(x1, kernel: kBig, bias: bBig), "dense batch 1")
        #expect(backend.fallbackCount == before, "\(backend.fallbackMessages)")
    }

    @Test(arguments: [
        ([2, 2], [2, 2], WindowPadding.valid), ([3, 3], [2, 2], .same), ([3, 3], [2, 2], .valid), ([3, 3], [1, 1], .same),
        ([2, 2], [2, 2], .same), ([3, 2], [1, 2], .same), ([5, 5], [3, 3], .same),
    ])
    func poolingMatchesReference(kernel: [Int], strides: [Int], padding: WindowPadding) {
        let x = random([2, 9, 11, 5], seed: 40)
        let window = Window2D(kernel: kernel, strides: strides, padding: padding)
        let before = backend.fallbackCount
        expectClose(backend.maxPool2d(x, window: window), reference.maxPool2d(x, window: window), "max \(kernel) \(strides) \(padding)")
        expectClose(backend.averagePool2d(x, window: window), reference.averagePool2d(x, window: window),
                    "avg \(kernel) \(strides) \(padding)")
        #expect(backend.fallbackCount == before, "\(backend.fallbackMessages)")
    }

    @Test func degenerateShapesDoNotCrash() {
        // Input smaller than the kernel with `valid`: an empty output, as the reference gives.
        let x = random([1, 2, 2, 3], seed: 50)
        let k = random([3, 3, 3, 4], seed: 51)
        let window = Window2D(kernel: [3, 3], strides: [2, 2], padding: .valid)
        #expect(backend.conv2d(x, kernel: k, bias: nil, window: window, groups: 1).shape == [1, 0, 0, 4])
        #expect(backend.maxPool2d(x, window: window).shape == [1, 0, 0, 3])
    }

    @Test func failureFallsBackAndIsRecorded() throws {
        let own = try DNNLBackend()
        let expected = Tensor(shape: [2], data: [1, 2])
        let got = own.run("test op", outShape: [2], fallback: { expected }) { _, out in
            out[0] = .nan  // a half-written buffer must never escape
            throw DNNLError(operation: "primitive_create", status: "unimplemented")
        }
        #expect(got == expected)
        #expect(own.fallbackCount == 1)
        #expect(own.fallbackMessages == ["test op: oneDNN primitive_create: unimplemented"])
        // The backend keeps working after a failure.
        let x = random([1, 4, 4, 2], seed: 70)
        let window = Window2D(kernel: [2, 2], strides: [2, 2], padding: .valid)
        expectClose(own.maxPool2d(x, window: window), reference.maxPool2d(x, window: window), "after failure")
        #expect(own.fallbackCount == 1)
    }

    /// Not an assertion: GFLOP/s of a 3x3 convolution 56x56x64 -> 64, primitive created per call.
    @Test func convolutionThroughput() {
        let x = random([1, 56, 56, 64], seed: 60)
        let k = random([3, 3, 64, 64], seed: 61), b = random([64], seed: 62)
        let window = Window2D(kernel: [3, 3], strides: [1, 1], padding: .same)
        let flops = 2.0 * 56 * 56 * 64 * 64 * 9
        _ = backend.conv2d(x, kernel: k, bias: b, window: window, groups: 1)  // warm-up
        var times: [Double] = []
        for _ in 0..<20 {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = backend.conv2d(x, kernel: k, bias: b, window: window, groups: 1)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        let median = times[times.count / 2], best = times[0]
        print(String(format: "DNNLBackend 3x3 conv 56x56x64->64 (per-call primitive, %d OpenMP threads): median %.3f ms = %.1f GFLOP/s, best %.3f ms = %.1f GFLOP/s",
                     DNNLBackend.threadCount, median * 1e3, flops / median / 1e9, best * 1e3, flops / best / 1e9))
        #expect(backend.fallbackCount == 0, "\(backend.fallbackMessages)")
    }
}
