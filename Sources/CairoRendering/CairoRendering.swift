/// Draws `Scene`s with Cairo and Pango: `PDFWriter` (multi-page, a size per page, metadata),
/// `SVGWriter` (with `<title>` and `<desc>`), `PNGWriter`, and `PangoTextMeasurer`, the
/// `TextMeasurer` whose widths are the widths these writers draw. Cairo and Pango pointers
/// stay inside this module.
public enum CairoRendering {}
