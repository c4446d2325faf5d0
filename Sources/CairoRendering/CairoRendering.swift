import CCairo
import Reporting

/// Draws `Scene`s with Cairo and Pango: PDF (multi-page, metadata), SVG and PNG.
public enum CairoRendering {}
