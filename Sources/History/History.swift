import GRDB
import ModelKit

/// The run database: one row per run and per model-run, deltas against the previous run.
public enum History {}
