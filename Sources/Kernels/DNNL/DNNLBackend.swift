import CDNNL
import Foundation

/// A oneDNN 2.x call that failed: the function and oneDNN's status text.
public struct DNNLError: Error, CustomStringConvertible, Sendable {
    public var operation: String
    public var status: String
    public var description: String { "oneDNN \(operation): \(status)" }
}

/// `ComputeBackend` on oneDNN 2.6 (CPU engine): NHWC float32 activations, Keras-layout
/// weights reordered into whatever layout the primitive prefers.
///
/// Primitives are created per call for now (a plan will cache them). Every `dnnl_status_t`
/// is checked; when oneDNN refuses or fails a call, that call is computed by
/// `ReferenceBackend` instead and the failure is recorded (`fallbackCount`,
/// `fallbackMessages`), so a caller never gets a crash or garbage from oneDNN.
///
/// Executions are serialised on one stream: libgomp keeps a thread team per calling thread,
/// so running from many threads at once would oversubscribe the cores anyway.
public final class DNNLBackend: ComputeBackend, @unchecked Sendable {
    /// Whether a oneDNN CPU engine can be created on this machine.
    public static let isAvailable: Bool = {
        guard dnnl_engine_get_count(dnnl_cpu) > 0 else { return false }
        var engine: dnnl_engine_t?
        guard dnnl_engine_create(&engine, dnnl_cpu, 0) == dnnl_success, let engine else { return false }
        dnnl_engine_destroy(engine)
        return true
    }()

    /// This backend when oneDNN is available, otherwise `ReferenceBackend`.
    public static func preferred(threads: Int? = nil) -> any ComputeBackend {
        (try? DNNLBackend(threads: threads)) ?? ReferenceBackend()
    }

    let engine: dnnl_engine_t
    let stream: dnnl_stream_t
    private let lock = NSLock()
    private let reference = ReferenceBackend()
    private var fallbacks = 0
    private var messages: [String] = []
    private static let keptMessages = 20

    /// `threads`, when given, sets the OpenMP thread count for the whole process (oneDNN
    /// partitions work when a primitive is created, so set it once, before any call).
    public init(threads: Int? = nil) throws {
        if let threads, threads > 0 { strata_omp_set_num_threads(Int32(threads)) }
        var engine: dnnl_engine_t?
        try Self.check(dnnl_engine_create(&engine, dnnl_cpu, 0), "engine_create")
        guard let engine else { throw DNNLError(operation: "engine_create", status: "no engine") }
        var stream: dnnl_stream_t?
        let status = dnnl_stream_create(&stream, engine, UInt32(dnnl_stream_default_flags.rawValue))
        guard status == dnnl_success, let stream else {
            dnnl_engine_destroy(engine)
            throw DNNLError(operation: "stream_create", status: Self.text(status))
        }
        self.engine = engine
        self.stream = stream
    }

    deinit {
        dnnl_stream_destroy(stream)
        dnnl_engine_destroy(engine)
    }

    /// The OpenMP thread count oneDNN will use.
    public static var threadCount: Int { Int(strata_omp_get_max_threads()) }

    /// How many calls fell back to `ReferenceBackend` because oneDNN failed.
    public var fallbackCount: Int { lock.withLock { fallbacks } }

    /// The most recent fallback reasons (operation and oneDNN's status), oldest first.
    public var fallbackMessages: [String] { lock.withLock { messages } }

    // MARK: ComputeBackend

    public func conv2d(_ x: Tensor, kernel: Tensor, bias: Tensor?, window: Window2D, groups: Int) -> Tensor {
        // Shapes oneDNN cannot describe go to the reference, which states the precondition.
        guard x.shape.count == 4, kernel.shape.count == 4, groups >= 1,
              kernel.shape[2] * groups == x.shape[3], kernel.shape[3] % groups == 0,
              bias.map({ $0.count == kernel.shape[3] }) ?? true,
              window.kernel == [kernel.shape[0], kernel.shape[1]], window.strides.count == 2,
              window.dilation.count == 2, window.strides.allSatisfy({ $0 > 0 }), window.dilation.allSatisfy({ $0 > 0 })
        else { return reference.conv2d(x, kernel: kernel, bias: bias, window: window, groups: groups) }
        let oh = window.geometry(axis: 0, length: x.shape[1]).out
        let ow = window.geometry(axis: 1, length: x.shape[2]).out
        if x.count == 0 || kernel.count == 0 || oh == 0 || ow == 0 {
            return reference.conv2d(x, kernel: kernel, bias: bias, window: window, groups: groups)
        }
        let outShape = [x.shape[0], oh, ow, kernel.shape[3]]
        return run("convolution", outShape: outShape, fallback: {
            self.reference.conv2d(x, kernel: kernel, bias: bias, window: window, groups: groups)
        }) { call, out in
            try self.convolution(call, x: x, kernel: kernel, bias: bias, window: window, groups: groups, outShape: outShape, out: out)
        }
    }

    public func depthwiseConv2d(_ x: Tensor, kernel: Tensor, bias: Tensor?, window: Window2D) -> Tensor {
        guard kernel.shape.count == 4 else {
            return reference.depthwiseConv2d(x, kernel: kernel, bias: bias, window: window)
        }
        // (kh, kw, cin, dm) is laid out as a grouped kernel (kh, kw, 1, cin * dm), groups = cin:
        // output channel c * dm + m reads input channel c.
        let (kh, kw, cin, dm) = (kernel.shape[0], kernel.shape[1], kernel.shape[2], kernel.shape[3])
        let grouped = Tensor(shape: [kh, kw, 1, cin * dm], data: kernel.data)
        return conv2d(x, kernel: grouped, bias: bias, window: window, groups: cin)
    }

    public func dense(_ x: Tensor, kernel: Tensor, bias: Tensor?) -> Tensor {
        guard kernel.shape.count == 2, x.shape.last == kernel.shape[0],
              bias.map({ $0.count == kernel.shape[1] }) ?? true,
              kernel.shape[0] > 0, kernel.shape[1] > 0, x.count > 0
        else { return reference.dense(x, kernel: kernel, bias: bias) }
        var outShape = x.shape
        outShape[outShape.count - 1] = kernel.shape[1]
        return run("matmul", outShape: outShape, fallback: {
            self.reference.dense(x, kernel: kernel, bias: bias)
        }) { call, out in
            try self.matmul(call, x: x, kernel: kernel, bias: bias, out: out)
        }
    }

    public func maxPool2d(_ x: Tensor, window: Window2D) -> Tensor {
        pool(x, window: window, algorithm: dnnl_pooling_max)
    }

    public func averagePool2d(_ x: Tensor, window: Window2D) -> Tensor {
        pool(x, window: window, algorithm: dnnl_pooling_avg_exclude_padding)
    }

    // MARK: Calls

    private func pool(_ x: Tensor, window: Window2D, algorithm: dnnl_alg_kind_t) -> Tensor {
        let isMax = algorithm == dnnl_pooling_max
        let fallback = { isMax ? self.reference.maxPool2d(x, window: window) : self.reference.averagePool2d(x, window: window) }
        guard x.shape.count == 4, window.kernel.count == 2, window.strides.count == 2, window.dilation.count == 2,
              window.kernel.allSatisfy({ $0 > 0 }), window.strides.allSatisfy({ $0 > 0 }),
              window.dilation.allSatisfy({ $0 > 0 })
        else { return fallback() }
        let oh = window.geometry(axis: 0, length: x.shape[1]).out
        let ow = window.geometry(axis: 1, length: x.shape[2]).out
        if x.count == 0 || oh == 0 || ow == 0 { return fallback() }
        let outShape = [x.shape[0], oh, ow, x.shape[3]]
        return run(isMax ? "max pooling" : "average pooling", outShape: outShape, fallback: fallback) { call, out in
            try self.pooling(call, x: x, window: window, algorithm: algorithm, outShape: outShape, out: out)
        }
    }

    /// Runs `body` under the lock with a fresh resource scope and an output buffer of
    /// `outShape`; on any oneDNN error, records it and returns `fallback()` instead.
    /// (Internal so tests can drive the fallback path.)
    func run(
        _ what: String, outShape: [Int], fallback: () -> Tensor,
        _ body: (Call, UnsafeMutablePointer<Float>) throws -> Void
    ) -> Tensor {
        let count = outShape.reduce(1, *)
        var failure: String?
        let data: [Float] = lock.withLock {
            let call = Call(engine: engine, stream: stream)
            defer { call.release() }
            var succeeded = false
            let data = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                guard let base = buffer.baseAddress else { return }
                do {
                    try body(call, base)
                    succeeded = true
                    initialized = count
                } catch {
                    failure = "\(what): \(error)"
                    initialized = 0
                }
            }
            if !succeeded {
                fallbacks += 1
                messages.append(failure ?? "\(what): failed")
                if messages.count > Self.keptMessages { messages.removeFirst(messages.count - Self.keptMessages) }
            }
            return succeeded ? data : []
        }
        if failure != nil || data.count != count { return fallback() }
        return Tensor(shape: outShape, data: data)
    }

    private func convolution(
        _ call: Call, x: Tensor, kernel: Tensor, bias: Tensor?, window: Window2D, groups: Int,
        outShape: [Int], out: UnsafeMutablePointer<Float>
    ) throws {
        let (n, h, w, cin) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (kh, kw, cinG, cout) = (kernel.shape[0], kernel.shape[1], kernel.shape[2], kernel.shape[3])
        let (oh, ow) = (outShape[1], outShape[2])
        // Logical dims are N, C, H, W whatever the layout; the tag says NHWC.
        var src = try Self.memoryDesc([n, cin, h, w], dnnl_nhwc)
        var dst = try Self.memoryDesc([n, cout, oh, ow], dnnl_nhwc)
        // Keras (kh, kw, cin/g, cout) with cout = g-major: hwio for one group, and for groups
        // the 5-D (g, o/g, i/g, h, w) in the order h, w, i, g, o (hwigo).
        let userWeights = groups == 1
            ? try Self.memoryDesc([cout, cinG, kh, kw], dnnl_hwio)
            : try Self.memoryDesc([groups, cout / groups, cinG, kh, kw], dnnl_hwigo)
        var anyWeights = groups == 1
            ? try Self.memoryDesc([cout, cinG, kh, kw], dnnl_format_tag_any)
            : try Self.memoryDesc([groups, cout / groups, cinG, kh, kw], dnnl_format_tag_any)
        var biasDesc = try Self.memoryDesc([cout], dnnl_a)

        let geometry = Self.padding(window, h: h, w: w)
        let strides = Self.dims(window.strides)
        let dilates = Self.dims(window.dilation.map { $0 - 1 })  // oneDNN counts the gaps
        let padL = Self.dims(geometry.before), padR = Self.dims(geometry.after)
        var desc = dnnl_convolution_desc_t()
        let status: dnnl_status_t
        if bias != nil {
            status = dnnl_dilated_convolution_forward_desc_init(
                &desc, dnnl_forward_inference, dnnl_convolution_direct, &src, &anyWeights, &biasDesc, &dst,
                strides, dilates, padL, padR)
        } else {
            status = dnnl_dilated_convolution_forward_desc_init(
                &desc, dnnl_forward_inference, dnnl_convolution_direct, &src, &anyWeights, nil, &dst,
                strides, dilates, padL, padR)
        }
        try Self.check(status, "dilated_convolution_forward_desc_init")
        let pd = try call.primitiveDesc(&desc)

        try call.executeWeighted(pd, src: src, x: x, userWeights: userWeights, kernel: kernel, biasDesc: biasDesc, bias: bias,
                                 dst: dst, out: out)
    }

    private func matmul(_ call: Call, x: Tensor, kernel: Tensor, bias: Tensor?, out: UnsafeMutablePointer<Float>) throws {
        let (k, units) = (kernel.shape[0], kernel.shape[1])
        let rows = x.count / k
        var src = try Self.memoryDesc([rows, k], dnnl_ab)
        var dst = try Self.memoryDesc([rows, units], dnnl_ab)
        let userWeights = try Self.memoryDesc([k, units], dnnl_ab)
        var anyWeights = try Self.memoryDesc([k, units], dnnl_format_tag_any)
        var biasDesc = try Self.memoryDesc([1, units], dnnl_ab)
        var desc = dnnl_matmul_desc_t()
        if bias != nil {
            try Self.check(dnnl_matmul_desc_init(&desc, &src, &anyWeights, &biasDesc, &dst), "matmul_desc_init")
        } else {
            try Self.check(dnnl_matmul_desc_init(&desc, &src, &anyWeights, nil, &dst), "matmul_desc_init")
        }
        let pd = try call.primitiveDesc(&desc)
        try call.executeWeighted(pd, src: src, x: x, userWeights: userWeights, kernel: kernel, biasDesc: biasDesc, bias: bias,
                                 dst: dst, out: out)
    }

    private func pooling(
        _ call: Call, x: Tensor, window: Window2D, algorithm: dnnl_alg_kind_t, outShape: [Int],
        out: UnsafeMutablePointer<Float>
    ) throws {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        var src = try Self.memoryDesc([n, c, h, w], dnnl_nhwc)
        var dst = try Self.memoryDesc([n, c, outShape[1], outShape[2]], dnnl_nhwc)
        let geometry = Self.padding(window, h: h, w: w)
        var desc = dnnl_pooling_v2_desc_t()
        try Self.check(dnnl_pooling_v2_forward_desc_init(
            &desc, dnnl_forward_inference, algorithm, &src, &dst,
            Self.dims(window.strides), Self.dims(window.kernel), Self.dims(window.dilation.map { $0 - 1 }),
            Self.dims(geometry.before), Self.dims(geometry.after)), "pooling_v2_forward_desc_init")
        let pd = try call.primitiveDesc(&desc)
        try x.data.withUnsafeBufferPointer { xp in
            try call.execute(pd, [
                dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: try call.memory(src, xp.baseAddress)),
                dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: try call.memory(dst, out)),
            ])
        }
    }

    // MARK: Helpers

    /// Keras's padding as oneDNN wants it: before and after along H and W. `same` puts the
    /// extra cell after; `valid` drops the cells a stride cannot reach (after padding 0,
    /// which oneDNN's floor division accepts).
    static func padding(_ window: Window2D, h: Int, w: Int) -> (before: [Int], after: [Int]) {
        var before = [0, 0], after = [0, 0]
        for (axis, length) in [h, w].enumerated() {
            let (out, padBefore) = window.geometry(axis: axis, length: length)
            let effective = (window.kernel[axis] - 1) * window.dilation[axis] + 1
            before[axis] = padBefore
            after[axis] = max((out - 1) * window.strides[axis] + effective - length - padBefore, 0)
        }
        return (before, after)
    }

    /// A dnnl_dims_t-sized array (oneDNN reads as many entries as it needs).
    static func dims(_ values: [Int]) -> [dnnl_dim_t] {
        var d = [dnnl_dim_t](repeating: 0, count: Int(DNNL_MAX_NDIMS))
        for (i, v) in values.enumerated() { d[i] = dnnl_dim_t(v) }
        return d
    }

    static func memoryDesc(_ shape: [Int], _ tag: dnnl_format_tag_t) throws -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        try check(dnnl_memory_desc_init_by_tag(&md, Int32(shape.count), dims(shape), dnnl_f32, tag), "memory_desc_init_by_tag")
        return md
    }

    static func text(_ status: dnnl_status_t) -> String {
        dnnl_status2str(status).map { String(cString: $0) } ?? "status \(status.rawValue)"
    }

    static func check(_ status: dnnl_status_t, _ operation: String) throws {
        if status != dnnl_success { throw DNNLError(operation: operation, status: text(status)) }
    }
}

/// The oneDNN objects of one call, destroyed together by `release()`.
final class Call {
    let engine: dnnl_engine_t
    let stream: dnnl_stream_t
    private var memories: [dnnl_memory_t] = []
    private var primitives: [dnnl_primitive_t] = []
    private var descs: [dnnl_primitive_desc_t] = []

    init(engine: dnnl_engine_t, stream: dnnl_stream_t) {
        self.engine = engine
        self.stream = stream
    }

    func release() {
        for p in primitives { dnnl_primitive_destroy(p) }
        for d in descs { dnnl_primitive_desc_destroy(d) }
        for m in memories { dnnl_memory_destroy(m) }
        primitives = []; descs = []; memories = []
    }

    func primitiveDesc(_ opDesc: UnsafeRawPointer) throws -> dnnl_primitive_desc_t {
        var pd: dnnl_primitive_desc_t?
        try DNNLBackend.check(dnnl_primitive_desc_create(&pd, opDesc, nil, engine, nil), "primitive_desc_create")
        guard let pd else { throw DNNLError(operation: "primitive_desc_create", status: "no descriptor") }
        descs.append(pd)
        return pd
    }

    /// A memory object over `data` (not copied; it must outlive the execution), or one the
    /// library allocates when `data` is nil.
    func memory(_ desc: dnnl_memory_desc_t, _ data: UnsafeRawPointer?) throws -> dnnl_memory_t {
        var desc = desc
        var memory: dnnl_memory_t?
        let handle = data.map { UnsafeMutableRawPointer(mutating: $0) } ?? strata_dnnl_memory_allocate()
        try DNNLBackend.check(dnnl_memory_create(&memory, &desc, engine, handle), "memory_create")
        guard let memory else { throw DNNLError(operation: "memory_create", status: "no memory") }
        memories.append(memory)
        return memory
    }

    /// The weights as the primitive wants them: the user's buffer when the layouts agree,
    /// otherwise a reorder into library-allocated memory.
    func weights(user: dnnl_memory_desc_t, data: UnsafeRawPointer?, for pd: dnnl_primitive_desc_t) throws -> dnnl_memory_t {
        guard let wanted = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0) else {
            throw DNNLError(operation: "primitive_desc_query_md", status: "no weights descriptor")
        }
        let userMemory = try memory(user, data)
        var user = user
        if dnnl_memory_desc_equal(&user, wanted) != 0 { return userMemory }
        let reordered = try memory(wanted.pointee, nil)
        var reorder: dnnl_primitive_desc_t?
        try DNNLBackend.check(dnnl_reorder_primitive_desc_create(&reorder, &user, engine, wanted, engine, nil),
                              "reorder_primitive_desc_create")
        guard let reorder else { throw DNNLError(operation: "reorder_primitive_desc_create", status: "no descriptor") }
        descs.append(reorder)
        try execute(reorder, [
            dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: userMemory),
            dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: reordered),
        ])
        return reordered
    }

    /// Runs a weighted primitive (convolution, deconvolution, matmul): `x` as its source,
    /// `kernel` given in the `userWeights` layout (reordered when the primitive wants another),
    /// `bias` when there is one, the result into `out`.
    func executeWeighted(_ pd: dnnl_primitive_desc_t, src: dnnl_memory_desc_t, x: Tensor, userWeights: dnnl_memory_desc_t,
                         kernel: Tensor, biasDesc: dnnl_memory_desc_t, bias: Tensor?, dst: dnnl_memory_desc_t,
                         out: UnsafeMutablePointer<Float>) throws {
        try x.data.withUnsafeBufferPointer { xp in
            try kernel.data.withUnsafeBufferPointer { kp in
                var args = [
                    dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: try memory(src, xp.baseAddress)),
                    dnnl_exec_arg_t(arg: DNNL_ARG_WEIGHTS, memory: try weights(user: userWeights, data: kp.baseAddress, for: pd)),
                    dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: try memory(dst, out)),
                ]
                guard let bias else { return try execute(pd, args) }
                try bias.data.withUnsafeBufferPointer { bp in
                    args.append(dnnl_exec_arg_t(arg: DNNL_ARG_BIAS, memory: try memory(biasDesc, bp.baseAddress)))
                    try execute(pd, args)
                }
            }
        }
    }

    func execute(_ pd: dnnl_primitive_desc_t, _ args: [dnnl_exec_arg_t]) throws {
        var primitive: dnnl_primitive_t?
        try DNNLBackend.check(dnnl_primitive_create(&primitive, pd), "primitive_create")
        guard let primitive else { throw DNNLError(operation: "primitive_create", status: "no primitive") }
        primitives.append(primitive)
        try DNNLBackend.check(dnnl_primitive_execute(primitive, stream, Int32(args.count), args), "primitive_execute")
        // Wait here, while the callers' buffers are still pinned.
        try DNNLBackend.check(dnnl_stream_wait(stream), "stream_wait")
    }
}
