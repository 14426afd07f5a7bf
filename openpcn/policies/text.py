"""A policy's words: Markdown rendered to safe HTML, and a readable diff between two versions."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import markdown
import nh3
from markupsafe import Markup, escape

# Policies are documents: headings, lists, tables, emphasis and links, nothing that runs.
TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "strong", "em", "b", "i", "ul", "ol",
    "li", "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "a",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}


HEADING = re.compile(r"<(/?)h([1-6])>")


def render(body: str, *, heading_offset: int = 2) -> Markup:
    """The Markdown as HTML with anything outside the allowed tags stripped (scripts, styles).

    Headings move down `heading_offset` levels so the policy's own "# Purpose" sits under the
    page's headings.
    """
    html = markdown.markdown(body, extensions=["tables", "sane_lists"], output_format="html")
    cleaned = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"https", "mailto"})
    shifted = HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + heading_offset, 6)}>", cleaned)
    return Markup(shifted)  # noqa: S704 - sanitised by nh3 just above


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "removed", "added" or "gap" (unchanged lines left out)
    text: str


def diff_lines(before: str, after: str, *, context: int = 2) -> list[DiffLine]:
    """The lines removed and added between two texts, with a little unchanged text around them."""
    old, new = before.splitlines(), after.splitlines()
    found: list[DiffLine] = []
    for group in difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(
        context
    ):
        if found:
            found.append(DiffLine("gap", ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                found.extend(DiffLine("same", line) for line in old[i1:i2])
                continue
            found.extend(DiffLine("removed", line) for line in old[i1:i2])
            found.extend(DiffLine("added", line) for line in new[j1:j2])
    return found


LABELS = {"removed": "Removed: ", "added": "Added: "}


def diff_html(before: str, after: str) -> Markup:
    """The diff as HTML: removed lines in <del>, added lines in <ins>, each labelled for screen
    readers, so the change reads without colour."""
    lines = diff_lines(before, after)
    if not lines:
        return Markup('<p class="policy-diff__none">The text is the same in both versions.</p>')
    parts = ['<div class="policy-diff">']
    for line in lines:
        if line.kind == "gap":
            parts.append('<p class="policy-diff__gap">…</p>')
            continue
        label = LABELS.get(line.kind, "")
        hidden = f'<span class="nhsuk-u-visually-hidden">{label}</span>' if label else ""
        text = escape(line.text) or Markup("&nbsp;")
        if line.kind == "removed":
            parts.append(f'<p class="policy-diff__removed">{hidden}<del>{text}</del></p>')
        elif line.kind == "added":
            parts.append(f'<p class="policy-diff__added">{hidden}<ins>{text}</ins></p>')
        else:
            parts.append(f'<p class="policy-diff__same">{text}</p>')
    parts.append("</div>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text is escaped above
