import ModelKit
import Kernels

/// Something that runs a model's forward pass many times on inputs of fixed shapes: the
/// `Executor` (an interpreter, any backend) or an `ExecutionPlan` (oneDNN, built once).
/// `ForwardProfiler` times either.
public protocol ForwardRunner: Sendable {
    /// The model run.
    var graph: ModelGraph { get }
    /// The name recorded in timings (`ExecutionPlan (oneDNN)`, `ReferenceBackend`).
    var backendName: String { get }
    /// Threads the heavy operations really use.
    var threadsUsed: Int { get }
    /// Calls that get no time of their own because they run inside another layer's step,
    /// with the name of that layer (`conv1_bn` -> `conv1_conv`).
    var fusedInto: [NodeID: String] { get }
    /// Runs the model; when `layerTimer` is given, reports each timed unit (in execution
    /// order) with the call it is reported under.
    func run(_ inputs: [Tensor], layerTimer: ((NodeID, Duration) -> Void)?) throws -> [Tensor]
}

extension Executor: ForwardRunner {
    public var backendName: String { String(describing: type(of: backend)) }
    public var threadsUsed: Int { backend is DNNLBackend ? DNNLBackend.threadCount : 1 }
    public var fusedInto: [NodeID: String] { [:] }
}
