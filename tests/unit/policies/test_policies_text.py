"""Rendering a policy's Markdown safely, and the readable diff between two versions."""

from __future__ import annotations

from openpcn.policies.text import diff_html, diff_lines, render


def test_markdown_is_rendered_with_scripts_and_handlers_stripped() -> None:
    html = str(
        render(
            "# Purpose\n\n**Every** patient.\n\n<script>alert(1)</script>\n\n"
            '<a href="javascript:alert(2)" onclick="x()">link</a> [ok](https://www.nhs.uk)'
        )
    )
    assert "<h3>Purpose</h3>" in html and "<strong>Every</strong>" in html
    assert "script" not in html and "alert" not in html and "onclick" not in html
    assert 'href="https://www.nhs.uk"' in html


def test_headings_keep_their_order_under_the_page() -> None:
    assert str(render("# One\n## Two", heading_offset=1)) == "<h2>One</h2>\n<h3>Two</h3>"


def test_diff_lists_removed_and_added_lines_with_context() -> None:
    before = "a\nb\nc\nd\ne\nf\ng\nh"
    after = "a\nb\nc\nD\ne\nf\ng\nh\ni"
    kinds = [(line.kind, line.text) for line in diff_lines(before, after, context=1)]
    assert kinds == [
        ("same", "c"),
        ("removed", "d"),
        ("added", "D"),
        ("same", "e"),
        ("gap", ""),
        ("same", "h"),
        ("added", "i"),
    ]


def test_diff_html_escapes_the_text_and_labels_changes_for_screen_readers() -> None:
    html = str(diff_html("Keep <b>this</b>", "Keep <b>that</b>"))
    assert '<span class="nhsuk-u-visually-hidden">Removed: </span><del>Keep &lt;b&gt;this' in html
    assert "<ins>Keep &lt;b&gt;that&lt;/b&gt;</ins>" in html
    assert "same in both versions" in str(diff_html("x", "x"))
