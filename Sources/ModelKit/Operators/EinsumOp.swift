/// A dense operator written as an einsum between the input and a kernel of any rank.
///
/// `equation` has the form `X,Y->Z`, `...X,Y->...Z` or `X...,Y->Z...` (letters only);
/// `partialOutputShape` gives the output without its batch axis, where unknown entries stay
/// unknown in the reported shape even when the input knows them (unless
/// `fillsOpenAxesFromInput`). Elided axes (`...`) are copied from the input; with a left
/// ellipsis axes 1..n-1 are inserted one by one at position 1, so more than one elided axis
/// after the batch comes out in reverse order, as the source computes it.
///
/// Weights, in this order: `kernel` (one size per letter of `Y`, from the output when the
/// letter is in `Z`, else from the input), then `bias` when `biasAxes` is set (shaped over
/// `Z` from the first bias letter on, 1 on non-bias letters, plus a 1 per right-elided axis).
/// With a low-rank adapter (`loraRank`), the kernel is frozen and `lora_kernel_a`
/// `(*kernel[:-1], rank)` and `lora_kernel_b` `(rank, kernel[-1])` follow.
///
/// MACs: the product of the sizes of all distinct letters and of the elided axes (the cost
/// of the two-operand einsum), with the batch counted as 1.
public struct EinsumOp: Operator {
    public var family: String { "einsum" }
    /// Whether a bias over some output axes broadcasts as NumPy does (true in the older
    /// API); the current one adds such a bias differently, which the engine does not run.
    public var biasBroadcastsAsNumPy: Bool = true
    /// The class or op type as the file names it, for messages and display.
    public var sourceClass: String = ""
    public var category: LayerCategory { .kernel }


    public let equation: String
    /// Output shape without the batch axis, as configured (nil entries are unknown).
    public let partialOutputShape: [Int?]
    public let biasAxes: String?
    public let activation: ActivationFunction
    public let loraRank: Int?

    /// The three letter groups of the equation and where the ellipsis is.
    public struct Parsed: Sendable {
        public var input: [Character]
        public var weight: [Character]
        public var output: [Character]
        public var leftElided: Bool
    }
    public let parsed: Parsed
    /// Whether an output axis left unknown in `partialOutputShape` but shared with the input
    /// takes the input's size there (the reader says whether the file's version does).
    let fillsOpenAxesFromInput: Bool


    /// Splits `equation` into its three letter groups, for the three forms above (each matched
    /// from the start; text after the output group is ignored).
    public static func parse(_ equation: String) -> Parsed? {
        var chars: [Character] = []
        let source = Array(equation)
        var j = 0
        while j < source.count {
            if j + 2 < source.count, source[j] == ".", source[j + 1] == ".", source[j + 2] == "." {
                chars.append("0")
                j += 3
            } else {
                chars.append(source[j])
                j += 1
            }
        }
        func isLetter(_ c: Character) -> Bool { c.isASCII && c.isLetter }
        func run(_ i: inout Int) -> [Character] {
            let start = i
            while i < chars.count, isLetter(chars[i]) { i += 1 }
            return Array(chars[start..<i])
        }
        func literal(_ s: String, _ i: inout Int) -> Bool {
            for c in s {
                guard i < chars.count, chars[i] == c else { return false }
                i += 1
            }
            return true
        }
        // X,Y->Z
        do {
            var i = 0
            let x = run(&i)
            if !x.isEmpty, literal(",", &i) {
                let y = run(&i)
                if !y.isEmpty, literal("->", &i) {
                    let z = run(&i)
                    if !z.isEmpty { return Parsed(input: x, weight: y, output: z, leftElided: false) }
                }
            }
        }
        // ...X,Y->...Z
        do {
            var i = 0
            if literal("0", &i) {
                let x = run(&i)
                if !x.isEmpty, literal(",", &i) {
                    let y = run(&i)
                    if !y.isEmpty, literal("->0", &i) {
                        let z = run(&i)
                        if !z.isEmpty { return Parsed(input: x, weight: y, output: z, leftElided: true) }
                    }
                }
            }
        }
        // X...,Y->Z...
        do {
            var i = 0
            let x = run(&i)
            if x.count >= 2, literal("0,", &i) {
                let y = run(&i)
                if !y.isEmpty, literal("->", &i) {
                    let z = run(&i)
                    if !z.isEmpty, literal("0", &i) { return Parsed(input: x, weight: y, output: z, leftElided: false) }
                }
            }
        }
        return nil
    }

    /// Kernel shape, bias shape and full output shape for one input shape.
    struct Analysis {
        var kernel: [Int?]
        var bias: [Int?]?
        var output: [Int?]
        var elided: Int
        /// Size of each letter (input sizes first), nil when unknown.
        var letterSizes: [Character: Int?]
    }

    func analyze(_ input: TensorShape) throws -> Analysis {
        let p = parsed
        let dims = input.dims
        let elided = dims.count - p.input.count
        guard elided >= 0, dims.count >= 1 else {
            throw LayerError("\(sourceClass) equation \"\(equation)\" names \(p.input.count) input axes but the input \(input) has rank \(dims.count)")
        }
        var output: [Int?] = [dims[0]] + partialOutputShape
        if elided > 0 && p.leftElided {
            for i in 1..<max(elided, 1) { output.insert(dims[i], at: 1) }
        } else if elided > 0 {
            for i in (dims.count - elided)..<dims.count { output.append(dims[i]) }
        }
        var inputMap: [Character: Int] = [:]
        var outputMap: [Character: Int] = [:]
        for (i, c) in p.input.enumerated() { inputMap[c] = p.leftElided ? i + elided : i }
        for (i, c) in p.output.enumerated() { outputMap[c] = p.leftElided ? i + elided : i }
        func outputAt(_ c: Character) throws -> Int? {
            let i = outputMap[c]!
            guard i < output.count else {
                throw LayerError("\(sourceClass) equation \"\(equation)\" output spec \"\(String(p.output))\" does not fit output_shape \(partialOutputShape) for input \(input)")
            }
            return output[i]
        }
        for c in p.input {
            let inAt = dims[inputMap[c]!]
            if outputMap[c] != nil, let outAt = try outputAt(c), outAt != inAt {
                throw LayerError("\(sourceClass): input and output_shape disagree on axis \"\(c)\" of \"\(equation)\": input \(input) has \(inAt.map(String.init) ?? "None"), output_shape has \(outAt)")
            }
        }
        for c in p.output where inputMap[c] == nil && !p.weight.contains(c) {
            throw LayerError("\(sourceClass): output axis \"\(c)\" of \"\(equation)\" appears in neither the input nor the weight spec")
        }
        var letterSizes: [Character: Int?] = [:]
        for c in p.input { letterSizes[c] = inputMap[c]! == 0 ? (dims[0] ?? 1) : dims[inputMap[c]!] }
        var kernel: [Int?] = []
        for c in p.weight {
            if outputMap[c] != nil {
                kernel.append(try outputAt(c))
            } else if let i = inputMap[c] {
                kernel.append(dims[i])
            } else {
                throw LayerError("\(sourceClass): weight axis \"\(c)\" of \"\(equation)\" appears in neither the input nor the output spec")
            }
            if letterSizes[c] == nil { letterSizes[c] = kernel.last! }
        }
        for c in p.output where letterSizes[c] == nil { letterSizes[c] = try outputAt(c) }
        var bias: [Int?]? = nil
        if let biasAxes, !biasAxes.isEmpty {
            let shift = p.leftElided ? elided : 0
            let first = p.output.firstIndex(where: { biasAxes.contains($0) })!
            var b: [Int?] = []
            for (i, c) in p.output.enumerated() where i >= first {
                guard i + shift < output.count else { throw LayerError("\(sourceClass): bias_axes \"\(biasAxes)\" do not fit the output \(output)") }
                b.append(biasAxes.contains(c) ? output[i + shift] : 1)
            }
            if !p.leftElided { b += Array(repeating: 1, count: elided) }
            bias = b
        }
        return Analysis(kernel: kernel, bias: bias, output: output, elided: elided, letterSizes: letterSizes)
    }

    public func outputShapes(_ inputs: [TensorShape]) throws -> [TensorShape] {
        let input = try Shapes.single(inputs, sourceClass)
        let analysis = try analyze(input)
        var output = analysis.output
        if fillsOpenAxesFromInput {
            let shift = parsed.leftElided ? analysis.elided : 0
            for (i, c) in parsed.output.enumerated() where i + shift > 0 && i + shift < output.count && output[i + shift] == nil {
                if let j = parsed.input.firstIndex(of: c) { output[i + shift] = input.dims[parsed.leftElided ? j + analysis.elided : j] }
            }
        }
        return [TensorShape(output)]
    }

    public func weights(_ inputs: [TensorShape]) throws -> [WeightSpec] {
        let input = try Shapes.single(inputs, sourceClass)
        let a = try analyze(input)
        func known(_ shape: [Int?], _ what: String) throws -> [Int] {
            let k = shape.compactMap { $0 }
            guard k.count == shape.count else {
                throw LayerError("\(sourceClass) needs a fully known \(what) shape, found \(TensorShape(shape)) for input \(input) and equation \"\(equation)\"")
            }
            return k
        }
        let kernel = try known(a.kernel, "kernel")
        var out = [WeightSpec("kernel", kernel, trainable: loraRank == nil)]
        if let b = a.bias { out.append(WeightSpec("bias", try known(b, "bias"))) }
        if let r = loraRank, let last = kernel.last {
            out.append(WeightSpec("lora_kernel_a", Array(kernel.dropLast()) + [r]))
            out.append(WeightSpec("lora_kernel_b", [r, last]))
        }
        return out
    }

    public func macs(_ inputs: [TensorShape], _ outputs: [TensorShape]) -> Int? {
        guard let input = inputs.first, let a = try? analyze(input) else { return nil }
        var factors: [Int?] = a.letterSizes.values.map { $0 }
        // Elided input axes (the batch among them counts as 1).
        let elidedAxes = parsed.leftElided ? Array(0..<a.elided) : Array((input.rank - a.elided)..<input.rank)
        for i in elidedAxes { factors.append(i == 0 ? (input.dims[0] ?? 1) : input.dims[i]) }
        return Shapes.product(factors)
    }

    /// Every property, as a reader sets them.
    public init(equation: String, partialOutputShape: [Int?], biasAxes: String?, activation: ActivationFunction, loraRank: Int?, parsed: Parsed, fillsOpenAxesFromInput: Bool) {
        self.equation = equation
        self.partialOutputShape = partialOutputShape
        self.biasAxes = biasAxes
        self.activation = activation
        self.loraRank = loraRank
        self.parsed = parsed
        self.fillsOpenAxesFromInput = fillsOpenAxesFromInput
    }
}
