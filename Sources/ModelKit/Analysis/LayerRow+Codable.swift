/// A row as `report.json` carries it: format-neutral snake_case keys, every figure present
/// (`null` when unknown). `source_class` (and `type`, its copy under the key the formats' own summaries use) is the class or op type as the file names it, `op`
/// the operator family. `calls` and `inbound` are written for readers' convenience and
/// derived again on decoding; `model_inputs`, `model_outputs`, `layers` (the nested rows)
/// and `operations` are written for a nested model only.
extension LayerRow: Codable {
    enum CodingKeys: String, CodingKey {
        case name
        case className = "source_class"
        case type
        case op, category, supported, trainable
        case isOperation = "is_operation"
        case module, mask
        case outputShapes = "output_shape"
        case callOutputShapes = "call_output_shapes"
        case params
        case trainableParams = "trainable_params"
        case nonTrainableParams = "non_trainable_params"
        case weightBytes = "weight_bytes"
        case macs
        case outputBytes = "output_bytes"
        case calls, inbound
        case inputsPerCall = "inputs_per_call"
        case weights
        case modelInputs = "model_inputs"
        case modelOutputs = "model_outputs"
        case children = "layers"
        case operations
    }

    /// True when the row stands for a nested model: it carries its own rows and endpoints.
    var isNestedModel: Bool {
        !children.isEmpty || !operations.isEmpty || !modelInputs.isEmpty || !modelOutputs.isEmpty
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(className, forKey: .className)
        // The same, under the key the format's own summaries use ("Layer (type)", op type).
        try c.encode(className, forKey: .type)
        try c.encode(op, forKey: .op)
        try c.encode(category, forKey: .category)
        try c.encode(supported, forKey: .supported)
        try c.encode(trainable, forKey: .trainable)
        try c.encode(isOperation, forKey: .isOperation)
        try c.encode(module, forKey: .module)
        try c.encode(mask, forKey: .mask)
        try c.encode(outputShapes, forKey: .outputShapes)
        try c.encode(callOutputShapes, forKey: .callOutputShapes)
        try c.encode(params, forKey: .params)
        try c.encode(trainableParams, forKey: .trainableParams)
        try c.encode(nonTrainableParams, forKey: .nonTrainableParams)
        try c.encode(weightBytes, forKey: .weightBytes)
        try c.encode(macs, forKey: .macs)
        try c.encode(outputBytes, forKey: .outputBytes)
        try c.encode(calls, forKey: .calls)
        try c.encode(inbound, forKey: .inbound)
        try c.encode(inputsPerCall, forKey: .inputsPerCall)
        try c.encode(weights, forKey: .weights)
        if isNestedModel {
            try c.encode(modelInputs, forKey: .modelInputs)
            try c.encode(modelOutputs, forKey: .modelOutputs)
            try c.encode(children, forKey: .children)
            try c.encode(operations, forKey: .operations)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        className = try c.decode(String.self, forKey: .className)
        op = try c.decode(String.self, forKey: .op)
        category = try c.decode(LayerCategory.self, forKey: .category)
        supported = try c.decode(Bool.self, forKey: .supported)
        trainable = try c.decode(Bool.self, forKey: .trainable)
        isOperation = try c.decode(Bool.self, forKey: .isOperation)
        module = try c.decodeIfPresent([String].self, forKey: .module) ?? []
        mask = try c.decodeIfPresent(Bool.self, forKey: .mask) ?? false
        outputShapes = try c.decode([TensorShape?].self, forKey: .outputShapes)
        callOutputShapes = try c.decode([[TensorShape?]].self, forKey: .callOutputShapes)
        params = try c.decodeIfPresent(Int.self, forKey: .params)
        trainableParams = try c.decodeIfPresent(Int.self, forKey: .trainableParams)
        nonTrainableParams = try c.decodeIfPresent(Int.self, forKey: .nonTrainableParams)
        weightBytes = try c.decodeIfPresent(Int.self, forKey: .weightBytes)
        macs = try c.decodeIfPresent(Int.self, forKey: .macs)
        outputBytes = try c.decodeIfPresent(Int.self, forKey: .outputBytes)
        inputsPerCall = try c.decode([[TensorSource]].self, forKey: .inputsPerCall)
        weights = try c.decode([WeightSpec].self, forKey: .weights)
        modelInputs = try c.decodeIfPresent([String].self, forKey: .modelInputs) ?? []
        modelOutputs = try c.decodeIfPresent([String].self, forKey: .modelOutputs) ?? []
        children = try c.decodeIfPresent([LayerRow].self, forKey: .children) ?? []
        operations = try c.decodeIfPresent([LayerRow].self, forKey: .operations) ?? []
    }
}
