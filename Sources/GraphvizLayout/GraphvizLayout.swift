import CGraphviz
import Reporting

/// Lays out a `LayoutGraph` with Graphviz's dot engine, used as a library.
public enum GraphvizLayout {}
