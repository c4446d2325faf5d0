#!/usr/bin/env python3
"""Writes Sources/Reporting/Markdown/MarkdownDefaultTemplates.swift from Templates/*.mustache,
so the built-in copies stay identical to the files (MarkdownTemplateTests compares them).
Run after editing a template: python3 scripts/embed-markdown-templates.py"""
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
out = ['/// The default Markdown templates, built into the binary so `strata` works from any folder.',
       '/// Generated from Templates/*.mustache by scripts/embed-markdown-templates.py; a test checks',
       '/// that they are identical to the files.',
       'enum MarkdownDefaultTemplates {']
for name, var in [('report.md.mustache', 'report'), ('index.md.mustache', 'index')]:
    text = (root / 'Templates' / name).read_text(encoding='utf-8')
    assert '"""#' not in text, name + ' contains """#'
    out.append(f'    /// Templates/{name}')
    out.append(f'    static let {var} = #"""')
    out.append(text + '\n"""#')
out.append('}')
(root / 'Sources/Reporting/Markdown/MarkdownDefaultTemplates.swift').write_text('\n'.join(out) + '\n', encoding='utf-8')
