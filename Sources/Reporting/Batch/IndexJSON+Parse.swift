import ModelKit

extension IndexJSON {
    /// Reads an `index.json` back (to merge the outputs of shards). Errors name the key.
    public static func parse(_ json: JSONValue, file: String) throws -> BatchIndex {
        func fail(_ place: String, _ message: String) -> StrataError { StrataError(file: file, place: place, message) }
        guard json["schema"]?.stringValue == schema else {
            throw fail("schema", "expected \"\(schema)\", found \(json["schema"]?.brief ?? "nothing"): not a Strata index")
        }
        guard let models = json["models"]?.arrayValue else { throw fail("models", "missing or not a list") }
        let entries: [BatchIndex.Entry] = try models.enumerated().map { i, m in
            guard let id = m["id"]?.stringValue, let folder = m["report_folder"]?.stringValue,
                  let status = m["status"]?.stringValue.flatMap(BatchIndex.Entry.Status.init(rawValue:)) else {
                throw fail("models[\(i)]", "needs id, report_folder and status")
            }
            var change: ModelChange? = nil
            if let c = m["change"], c.objectValue != nil {
                change = ModelChange(previousRunDate: c["previous_run_date"]?.stringValue, previousParams: c["previous_params"]?.intValue,
                                     previousMACs: c["previous_macs"]?.intValue, previousLatencyMs: c["previous_latency_ms"]?.doubleValue,
                                     contentChanged: c["content_changed"]?.boolValue ?? false,
                                     latencyTrendMs: c["latency_trend_ms"]?.arrayValue?.compactMap(\.doubleValue) ?? [])
                change?.previousContentHash = c["previous_content_hash"]?.stringValue
                change?.structure = c["structure"]?.stringValue
                change?.diffFile = c["diff"]?.stringValue
            }
            return BatchIndex.Entry(id: id, reportFolder: folder, name: m["name"]?.stringValue ?? id, file: m["file"]?.stringValue ?? id,
                                    status: status, params: m["params"]?.intValue, macs: m["macs"]?.intValue,
                                    latencyMs: m["latency_ms"]?.doubleValue, notTimed: m["not_timed"]?.stringValue, change: change, error: m["error"]?.stringValue)
        }
        let regressions = (json["regressions"]?.arrayValue ?? []).compactMap { r -> BatchIndex.Regression? in
            guard let id = r["id"]?.stringValue, let message = r["message"]?.stringValue else { return nil }
            return .init(id: id, message: message)
        }
        return BatchIndex(runDate: json["run_date"]?.stringValue ?? "", strataVersion: json["strata_version"]?.stringValue ?? "",
                          entries: entries, regressions: regressions,
                          unavailable: (json["unavailable"]?.arrayValue ?? []).compactMap(\.stringValue),
                          skipped: (json["skipped"]?.arrayValue ?? []).compactMap { s in
                              guard let file = s["file"]?.stringValue, let reason = s["reason"]?.stringValue else { return nil }
                              return .init(file: file, reason: reason)
                          })
    }
}
