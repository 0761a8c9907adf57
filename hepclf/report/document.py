"""A report as data: a title, then sections of paragraphs, tables, preformatted blocks and figures,
written out as Markdown (``report.md``, figures linked by file name) and as a self-contained HTML
page (``report.html``, every figure embedded as a base64 ``data:`` URI: the page can be mailed or
moved alone).

The reproductions (:mod:`hepclf.reproduce`) build their reports here, from their result objects,
so the text can never drift from the numbers and settings it describes.

Examples
--------
>>> import pandas as pd
>>> from hepclf.report import Report
>>> report = Report("Demo")
>>> _ = report.section("Numbers").paragraph("Two rows.").table(pd.DataFrame({"ams": [3.1, 3.2]}))
>>> print(report.to_markdown().splitlines()[0])
# Demo
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hepclf._utils import check_count, check_name, check_real


@dataclass(frozen=True)
class _Block:
    kind: str  # 'heading', 'paragraph', 'table', 'code', 'figure'
    content: object
    caption: str = ""


def format_against(value: float, limit: float, decimals: int = 4) -> str:
    """``value`` with at least ``decimals`` decimals, and more until it reads differently from
    ``limit`` (up to 12), so a statistic printed beside its pass limit never looks equal to it.

    Raises
    ------
    TypeError
        ``value`` or ``limit`` is not a real number (a string, None, a boolean).
    ValueError
        ``value`` or ``limit`` is NaN or infinite; ``decimals`` is not a whole number >= 0.

    Examples
    --------
    >>> format_against(0.0799996, 0.08, 6), format_against(0.0792, 0.08)
    ('0.0799996', '0.0792')
    """
    value, limit = check_real(value, "value"), check_real(limit, "limit")
    check_count(decimals, "decimals", 0)
    for places in range(decimals, max(decimals, 12) + 1):
        text = f"{value:.{places}f}"
        if text != f"{limit:.{places}f}":
            return text
    return text


def _format_cell(value: object, digits: int) -> str:
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


class Report:
    """A report under construction; every adder returns the report, so calls chain.

    Parameters
    ----------
    title : str
        The first heading.
    digits : int
        Decimals of the floats of tables.

    Raises
    ------
    TypeError
        ``title`` is not a string.
    ValueError
        ``title`` is empty; ``digits`` is not a whole number >= 0.
    FileNotFoundError
        :meth:`to_html` and :meth:`write`: a figure's PNG is not where it is looked for.
    """

    def __init__(self, title: str, *, digits: int = 4):
        check_name(title, "title")
        check_count(digits, "digits", 0)
        self.title = title
        self.digits = digits
        self.blocks: list[_Block] = []

    def section(self, heading: str) -> Report:
        """Start a section."""
        self.blocks.append(_Block("heading", heading))
        return self

    def paragraph(self, text: str) -> Report:
        """A paragraph of text (Markdown emphasis and code spans are kept as written)."""
        self.blocks.append(_Block("paragraph", text))
        return self

    def table(self, frame: pd.DataFrame, *, index: bool = False) -> Report:
        """A table of a DataFrame (floats with ``digits`` decimals)."""
        shown = frame.reset_index() if index else frame
        self.blocks.append(_Block("table", shown.copy()))
        return self

    def code(self, text: str) -> Report:
        """A preformatted block (tables printed by other code, logs)."""
        self.blocks.append(_Block("code", text))
        return self

    def figure(self, path: str | Path, caption: str) -> Report:
        """A PNG figure: the Markdown links it by file name (it is written beside the report),
        the HTML embeds it (read from the folder :meth:`to_html` is given, or from ``path``)."""
        self.blocks.append(_Block("figure", Path(path), caption))
        return self

    def to_markdown(self) -> str:
        """The report as Markdown."""
        lines = [f"# {self.title}"]
        for block in self.blocks:
            lines.append("")
            if block.kind == "heading":
                lines.append(f"## {block.content}")
            elif block.kind == "paragraph":
                lines.append(str(block.content))
            elif block.kind == "code":
                lines += ["```", str(block.content), "```"]
            elif block.kind == "figure":
                lines.append(f"![{block.caption}]({block.content.name})")
            else:
                lines += self._markdown_table(block.content)
        return "\n".join(lines) + "\n"

    def _markdown_table(self, frame: pd.DataFrame) -> list[str]:
        header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
        numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
        rule = "|" + "|".join("---:" if n else "---" for n in numeric) + "|"
        rows = [
            "| " + " | ".join(_format_cell(v, self.digits) for v in row) + " |"
            for row in frame.itertuples(index=False)
        ]
        return [header, rule, *rows]

    def to_html(self, folder: str | Path | None = None) -> str:
        """The report as one self-contained HTML page: each figure's PNG, read from ``folder``
        (by file name) or else from the path it was added with, is embedded as a data URI.

        Raises
        ------
        FileNotFoundError
            When a figure's PNG is not there (a page with a broken image is never written).
        """
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{html.escape(self.title)}</title>",
            "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
            "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2em .6em;"
            "text-align:right}pre{background:#f4f4f4;padding:.6em;overflow-x:auto}"
            "img{max-width:100%}</style></head><body>",
            f"<h1>{html.escape(self.title)}</h1>",
        ]
        for block in self.blocks:
            if block.kind == "heading":
                parts.append(f"<h2>{html.escape(str(block.content))}</h2>")
            elif block.kind == "paragraph":
                parts.append(f"<p>{html.escape(str(block.content))}</p>")
            elif block.kind == "code":
                parts.append(f"<pre>{html.escape(str(block.content))}</pre>")
            elif block.kind == "figure":
                parts.append(_html_figure(block, folder))
            else:
                parts.append(
                    block.content.to_html(
                        index=False, float_format=lambda v: f"{v:.{self.digits}f}", border=0
                    )
                )
        parts.append("</body></html>")
        return "\n".join(parts) + "\n"

    def write(self, folder: str | Path) -> Path:
        """Write ``report.md`` and ``report.html`` into ``folder`` (created; the figures must be
        there already: the HTML embeds them); return the Markdown file's path."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "report.html").write_text(self.to_html(folder))
        path = folder / "report.md"
        path.write_text(self.to_markdown())
        return path


def _html_figure(block: _Block, folder: str | Path | None) -> str:
    """A ``<figure>`` with the PNG of ``block`` embedded as a base64 data URI."""
    path = block.content if folder is None else Path(folder) / block.content.name
    if not path.is_file():
        raise FileNotFoundError(f"figure {block.content.name!r} not found at {path}")
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    caption = html.escape(block.caption)
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{caption}">'
        f"<figcaption>{caption}</figcaption></figure>"
    )
