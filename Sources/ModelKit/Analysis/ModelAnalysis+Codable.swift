/// The analysis as `report.json` carries it, keys in this order:
///
/// - `model`: `name`, `source_class` (the model's class as the file names it) and the
///   `SourceInfo` keys (`file`, `format`, `dialect`, `format_version`, `backend`,
///   `conventions`);
/// - `inputs`, `outputs`: `[{layer, shape}]`;
/// - `totals`, `layer_counts`;
/// - `structure`: `merges` and `resolution_stages`;
/// - `layers` (the rows, `LayerRow+Codable.swift`), `operations`, `diagnostics`.
///
/// Keys are format-neutral: nothing here is named after one format.
extension ModelAnalysis: Codable {
    enum CodingKeys: String, CodingKey {
        case model, inputs, outputs, totals
        case counts = "layer_counts"
        case structure
        case rows = "layers"
        case operations, diagnostics
    }

    enum ModelKeys: String, CodingKey {
        case name
        case sourceClass = "source_class"
    }

    enum StructureKeys: String, CodingKey {
        case merges
        case stages = "resolution_stages"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        // The model's name and class, then its source's keys, in one object.
        let model = c.superEncoder(forKey: .model)
        var m = model.container(keyedBy: ModelKeys.self)
        try m.encode(modelName, forKey: .name)
        try m.encode(modelClass, forKey: .sourceClass)
        try source.encode(to: model)
        try c.encode(inputs, forKey: .inputs)
        try c.encode(outputs, forKey: .outputs)
        try c.encode(totals, forKey: .totals)
        try c.encode(counts, forKey: .counts)
        var s = c.nestedContainer(keyedBy: StructureKeys.self, forKey: .structure)
        try s.encode(merges, forKey: .merges)
        try s.encode(stages, forKey: .stages)
        try c.encode(rows, forKey: .rows)
        try c.encode(operations, forKey: .operations)
        try c.encode(diagnostics, forKey: .diagnostics)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let model = try c.superDecoder(forKey: .model)
        let m = try model.container(keyedBy: ModelKeys.self)
        let s = try c.nestedContainer(keyedBy: StructureKeys.self, forKey: .structure)
        self.init(modelName: try m.decode(String.self, forKey: .name), modelClass: try m.decode(String.self, forKey: .sourceClass),
                  source: try SourceInfo(from: model), rows: try c.decode([LayerRow].self, forKey: .rows),
                  inputs: try c.decode([Endpoint].self, forKey: .inputs), outputs: try c.decode([Endpoint].self, forKey: .outputs),
                  totals: try c.decode(Totals.self, forKey: .totals), counts: try c.decode(LayerCounts.self, forKey: .counts),
                  merges: try s.decode([MergePoint].self, forKey: .merges), stages: try s.decode([ResolutionStage].self, forKey: .stages),
                  diagnostics: try c.decode([Diagnostic].self, forKey: .diagnostics))
        operations = try c.decode([LayerRow].self, forKey: .operations)
    }
}
