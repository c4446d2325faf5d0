import ModelKit
import Foundation
import Kernels

/// Element-wise activations as scalar functions, for loops that apply them inside a step
/// (recurrent gates). Same formulas as `ActivationFunctions.apply` (tests check they agree);
/// nil for a name that is not element-wise or not known.
public enum ScalarActivation {
    public static func resolve(_ function: ActivationFunction) -> ((Float) -> Float)? {
        switch function {
        case .linear: return { $0 }
        case .relu: return { max($0, 0) }
        case .relu6: return { min(max($0, 0), 6) }
        case .sigmoid: return ActivationFunctions.sigmoid
        case .tanh: return { tanhf($0) }
        case .elu(let alpha):
            if alpha == 1 { return { $0 > 0 ? $0 : expf($0) - 1 } }
            let a = Float(alpha)
            return { $0 > 0 ? $0 : a * (expf($0) - 1) }
        case .selu:
            let scale: Float = 1.0507009873554805, alpha: Float = 1.6732632423543772
            return { $0 > 0 ? scale * $0 : scale * alpha * (expf($0) - 1) }
        case .softplus: return { max($0, 0) + log1pf(expf(-abs($0))) }
        case .softsign: return { $0 / (1 + abs($0)) }
        case .swish: return { $0 * ActivationFunctions.sigmoid($0) }
        case .gelu: return { v in Float(0.5 * Double(v) * (1 + erf(Double(v) / 2.0.squareRoot()))) }
        case .hardSigmoid(let slope, let offset):
            // The two forms files use, each computed the way its framework does.
            if slope == 1.0 / 6 && offset == 0.5 { return { min(max($0 + 3, 0), 6) / 6 } }
            let s = Float(slope), o = Float(offset)
            return { min(max(s * $0 + o, 0), 1) }
        case .hardSwish: return { $0 * min(max($0 + 3, 0), 6) / 6 }
        case .leakyReLU(let slope):
            let s = Float(slope)
            return { $0 >= 0 ? $0 : s * $0 }
        case .exponential: return { expf($0) }
        case .mish: return { $0 * tanhf(max($0, 0) + log1pf(expf(-abs($0)))) }
        case .softmax, .other: return nil
        }
    }
}

/// One dense recurrent cell (simple, LSTM, GRU) ready to run: its weights split out and its
/// activations resolved. Gate order: LSTM i, f, c, o; GRU z (update), r (reset), h (the
/// candidate). A GRU with `resetAfter` applies the reset gate after the recurrent matmul,
/// which has a bias row of its own; without it, to the state before that matmul.
struct RecurrentStep {
    let cell: RecurrentCell
    /// `(features, g·units)`.
    let kernel: Tensor
    /// `(units, g·units)`.
    let recurrentKernel: Tensor
    /// Added to the input projection: `(g·units,)` (GRU with `resetAfter`: the first bias row).
    let inputBias: Tensor?
    /// GRU with `resetAfter` only: the second bias row, added to the recurrent projection.
    let recurrentBias: Tensor?
    let activation: (Float) -> Float
    let recurrentActivation: (Float) -> Float

    var units: Int { cell.units }

    /// `w` in the canonical order (kernel, recurrent kernel[, bias]).
    init(cell: RecurrentCell, weights w: [Tensor], fail: (String) -> ExecutionError) throws {
        self.cell = cell
        guard w.count == (cell.useBias ? 3 : 2) else { throw fail("expected \(cell.useBias ? 3 : 2) weight tensors for cell \"\(cell.name)\", found \(w.count)") }
        let width = cell.gateCount * cell.units
        guard w[0].shape.count == 2, w[0].shape[1] == width, w[1].shape == [cell.units, width] else {
            throw fail("kernel \(w[0].shape) and recurrent kernel \(w[1].shape) do not fit \(cell.gateCount) gates of \(cell.units) units")
        }
        kernel = w[0]
        recurrentKernel = w[1]
        if cell.useBias {
            let b = w[2]
            if case .gru(resetAfter: true) = cell.gates {
                guard b.count == 2 * width else { throw fail("GRU bias \(b.shape) is not (2, \(width))") }
                inputBias = Tensor(shape: [width], data: Array(b.data[0..<width]))
                recurrentBias = Tensor(shape: [width], data: Array(b.data[width..<(2 * width)]))
            } else {
                guard b.count == width else { throw fail("bias \(b.shape) is not (\(width),)") }
                inputBias = b
                recurrentBias = nil
            }
        } else {
            inputBias = nil
            recurrentBias = nil
        }
        guard let a = ScalarActivation.resolve(cell.activation) else { throw fail("not runnable yet: activation \"\(cell.activation)\"") }
        guard let r = ScalarActivation.resolve(cell.recurrentActivation) else {
            throw fail("not runnable yet: recurrent_activation \"\(cell.recurrentActivation)\"")
        }
        activation = a
        recurrentActivation = r
    }

    /// Runs the cell over `x (batch, time, features)` from `initial` states (zeros when
    /// empty), reading the steps backwards when `backwards`. Returns every step's output
    /// `(batch, time, units)` in the order the steps were read, and the final states.
    /// With `mask` (`(batch, time)`, 1 keeps a step), a step whose mask is 0 leaves the states
    /// as they were and outputs zeros (`zeroOutput`) or the previous step's output, as Keras's
    /// `backend.rnn` does; `last` is the final step's output so masked.
    func run(_ x: Tensor, initial: [Tensor], backwards: Bool, backend: any ComputeBackend, mask: Tensor? = nil, zeroOutput: Bool = false,
             fail: (String) -> ExecutionError) throws -> (sequence: Tensor, states: [Tensor], last: Tensor) {
        guard x.shape.count == 3 else { throw fail("expects a (batch, time, features) input, found shape \(x.shape)") }
        let (batch, steps, features) = (x.shape[0], x.shape[1], x.shape[2])
        guard features == kernel.shape[0] else { throw fail("input features \(features) do not fit kernel \(kernel.shape)") }
        let u = units, width = cell.gateCount * u
        var states = (0..<cell.stateCount).map { _ in [Float](repeating: 0, count: batch * u) }
        if !initial.isEmpty {
            guard initial.count == cell.stateCount else {
                throw fail("was given \(initial.count) initial state(s), the cell has \(cell.stateCount)")
            }
            for (i, s) in initial.enumerated() {
                guard s.shape == [batch, u] else { throw fail("initial state \(i) has shape \(s.shape), expected \([batch, u])") }
                states[i] = s.data
            }
        }
        // All input projections at once: (batch·time, g·units).
        let projected = backend.dense(Tensor(shape: [batch * steps, features], data: x.data), kernel: kernel, bias: inputBias).data
        var sequence = [Float](repeating: 0, count: batch * steps * u)
        let act = activation, rec = recurrentActivation
        let resetBefore: Bool
        if case .gru(resetAfter: false) = cell.gates { resetBefore = true } else { resetBefore = false }
        let candidate = resetBefore ? candidateKernel : nil
        var gates = [Float](repeating: 0, count: resetBefore ? batch * u : 0)
        var rh = [Float](repeating: 0, count: resetBefore ? batch * u : 0)
        if let mask, mask.shape != [batch, steps] {
            throw fail("its mask has shape \(mask.shape), expected \([batch, steps]) (batch, time)")
        }
        // With a mask: the previous step's (masked) output, zeros before the first step.
        var previousOutput = [Float](repeating: 0, count: mask == nil ? 0 : batch * u)
        for step in 0..<steps {
            let t = backwards ? steps - 1 - step : step
            let saved = mask == nil ? [] : states
            var h = states[0]
            switch cell.gates {
            case .simple, .lstm, .gru(resetAfter: true):
                let r = backend.dense(Tensor(shape: [batch, u], data: h), kernel: recurrentKernel, bias: recurrentBias).data
                projected.withUnsafeBufferPointer { xp in
                    r.withUnsafeBufferPointer { rp in
                        h.withUnsafeMutableBufferPointer { hp in
                            for b in 0..<batch {
                                let xo = (b * steps + t) * width, ro = b * width, ho = b * u
                                switch cell.gates {
                                case .simple:
                                    for j in 0..<u { hp[ho + j] = act(xp[xo + j] + rp[ro + j]) }
                                case .lstm:
                                    states[1].withUnsafeMutableBufferPointer { cp in
                                        for j in 0..<u {
                                            let i = rec(xp[xo + j] + rp[ro + j])
                                            let f = rec(xp[xo + u + j] + rp[ro + u + j])
                                            let g = act(xp[xo + 2 * u + j] + rp[ro + 2 * u + j])
                                            let o = rec(xp[xo + 3 * u + j] + rp[ro + 3 * u + j])
                                            let c = f * cp[ho + j] + i * g
                                            cp[ho + j] = c
                                            hp[ho + j] = o * act(c)
                                        }
                                    }
                                case .gru:
                                    for j in 0..<u {
                                        let z = rec(xp[xo + j] + rp[ro + j])
                                        let rr = rec(xp[xo + u + j] + rp[ro + u + j])
                                        let hh = act(xp[xo + 2 * u + j] + rr * rp[ro + 2 * u + j])
                                        hp[ho + j] = z * hp[ho + j] + (1 - z) * hh
                                    }
                                }
                            }
                        }
                    }
                }
            case .gru(resetAfter: false):
                // z and r from h·U[:, :2u]; the candidate from (r ∘ h)·U[:, 2u:].
                let zr = backend.dense(Tensor(shape: [batch, u], data: h), kernel: recurrentKernel, bias: nil).data
                projected.withUnsafeBufferPointer { xp in
                    zr.withUnsafeBufferPointer { rp in
                        gates.withUnsafeMutableBufferPointer { zp in
                            rh.withUnsafeMutableBufferPointer { rhp in
                                h.withUnsafeBufferPointer { hp in
                                    for b in 0..<batch {
                                        let xo = (b * steps + t) * width, ro = b * width, ho = b * u
                                        for j in 0..<u {
                                            zp[ho + j] = rec(xp[xo + j] + rp[ro + j])
                                            rhp[ho + j] = rec(xp[xo + u + j] + rp[ro + u + j]) * hp[ho + j]
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                let recurrentH = backend.dense(Tensor(shape: [batch, u], data: rh), kernel: candidate!, bias: nil).data
                projected.withUnsafeBufferPointer { xp in
                    recurrentH.withUnsafeBufferPointer { rp in
                        gates.withUnsafeBufferPointer { zp in
                            h.withUnsafeMutableBufferPointer { hp in
                                for b in 0..<batch {
                                    let xo = (b * steps + t) * width, ho = b * u
                                    for j in 0..<u {
                                        let z = zp[ho + j]
                                        hp[ho + j] = z * hp[ho + j] + (1 - z) * act(xp[xo + 2 * u + j] + rp[ho + j])
                                    }
                                }
                            }
                        }
                    }
                }
            }
            states[0] = h
            if let mask {
                for b in 0..<batch where mask.data[b * steps + t] == 0 {
                    for s in states.indices { for j in 0..<u { states[s][b * u + j] = saved[s][b * u + j] } }
                    for j in 0..<u { h[b * u + j] = zeroOutput ? 0 : previousOutput[b * u + j] }
                }
                previousOutput = h
            }
            // Outputs in the order the steps were read (see `RecurrentOptions.goBackwards`).
            sequence.withUnsafeMutableBufferPointer { sp in
                h.withUnsafeBufferPointer { hp in
                    for b in 0..<batch {
                        let dst = (b * steps + step) * u
                        for j in 0..<u { sp[dst + j] = hp[b * u + j] }
                    }
                }
            }
        }
        let last = mask == nil ? states[0] : previousOutput
        return (Tensor(shape: [batch, steps, u], data: sequence), states.map { Tensor(shape: [batch, u], data: $0) },
                Tensor(shape: [batch, u], data: last))
    }

    /// A GRU without `resetAfter`: the candidate's columns of the recurrent kernel,
    /// `(units, units)`.
    var candidateKernel: Tensor {
        let u = units, width = 3 * u
        var k = [Float](repeating: 0, count: u * u)
        for i in 0..<u { for j in 0..<u { k[i * u + j] = recurrentKernel.data[i * width + 2 * u + j] } }
        return Tensor(shape: [u, u], data: k)
    }
}

extension Executor {
    /// A call of one dense cell (simple, LSTM or GRU): `args` is the sequence then optional
    /// initial states. Returns the output (last step, or every step with `returnSequences`),
    /// then the states with `returnState`.
    func runDenseRecurrent(_ layer: Layer, cell: RecurrentCell, options: RecurrentOptions,
                           weights w: [Tensor], args: [Tensor], backwards: Bool? = nil, mask: Tensor? = nil, zeroOutput: Bool? = nil) throws -> [Tensor] {
        guard !options.timeMajor else { throw fail(layer, "not runnable yet: time_major") }
        guard let x = args.first else { throw fail(layer, "expects a sequence input, given none") }
        let step = try RecurrentStep(cell: cell, weights: w) { fail(layer, $0) }
        let (sequence, states, last) = try step.run(x, initial: Array(args.dropFirst()), backwards: backwards ?? options.goBackwards,
                                                    backend: backend, mask: mask, zeroOutput: zeroOutput ?? options.zeroOutputForMask) { fail(layer, $0) }
        let output = options.returnSequences ? sequence : last
        return options.returnState ? [output] + states : [output]
    }

    /// A stack of one or more dense cells: cell i+1 reads cell i's outputs; states come back
    /// cell by cell.
    func runGenericRNN(_ layer: Layer, _ k: StackedRecurrentOp, _ args: [Tensor], mask: Tensor? = nil) throws -> [Tensor] {
        guard !k.options.timeMajor else { throw fail(layer, "not runnable yet: time_major") }
        guard var x = args.first else { throw fail(layer, "expects a sequence input, given none") }
        let total = k.cells.reduce(0) { $0 + ($1.useBias ? 3 : 2) }
        let w = try params(layer, total)
        let initial = Array(args.dropFirst())
        let stateTotal = k.cells.reduce(0) { $0 + $1.stateCount }
        guard initial.isEmpty || initial.count == stateTotal else {
            throw fail(layer, "was given \(initial.count) initial state(s), its cells have \(stateTotal)")
        }
        var wi = 0, si = 0
        var states: [Tensor] = []
        var last = x
        for (i, cell) in k.cells.enumerated() {
            let n = cell.useBias ? 3 : 2
            let step = try RecurrentStep(cell: cell, weights: Array(w[wi..<(wi + n)])) { fail(layer, $0) }
            let given = initial.isEmpty ? [] : Array(initial[si..<(si + cell.stateCount)])
            // Only the first cell reads backwards; the others read its outputs in that order.
            // A masked step leaves every cell's states as they were: each cell masked alike.
            let (sequence, s, l) = try step.run(x, initial: given, backwards: i == 0 && k.options.goBackwards, backend: backend,
                                                mask: mask.map { i == 0 || !k.options.goBackwards ? $0 : TensorLayout.reverseTime($0) },
                                                zeroOutput: k.options.zeroOutputForMask) { fail(layer, $0) }
            x = sequence
            last = l
            states += s
            wi += n
            si += cell.stateCount
        }
        let output = k.options.returnSequences ? x : last
        return k.options.returnState ? [output] + states : [output]
    }
}
