"""Write a lab as one self-contained HTML file: the page, its style, its script and its numbers.

Nothing is fetched when the page opens (no network, no other file): the style
(``lab.css``), the shared script (``lab.js``), the kernels' twin (``kernels.js``),
the lab's own markup (``SLUG.html``) and script (``SLUG.js``) and its numbers (as
JSON) are all written into the one file, from the files beside this module.
"""
import html
import json
import math
import re
from importlib.resources import files

import grokking

HERE = files("grokking.lab")
SHARED_SCRIPTS = ["lab.js", "kernels.js"]
CHAPTER_NUMBER = re.compile(r"Chapters? (\d+)")


def text(name):
    """One of the lab's files, as text."""
    return (HERE / name).read_text(encoding="utf-8")


def finite(value):
    """``value`` with every float that is not finite (a diverged run) as None: JSON has no inf."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def as_json(data):
    """The numbers as JSON that can sit inside a <script> element (no "</" to close it early)."""
    return json.dumps(finite(data), separators=(",", ":"), allow_nan=False).replace("</", "<\\/")


def fill(template, parts):
    """``{{name}}`` in ``template`` replaced by ``parts[name]``, in one pass (the parts are not re-read)."""
    return re.sub(r"\{\{(\w+)\}\}", lambda match: parts[match.group(1)], template)


def lab_page(lab):
    """The whole HTML file of one ``Lab`` (with its own ``SLUG.css`` after lab.css, if it has one)."""
    scripts = SHARED_SCRIPTS + [f"{lab.slug}.js"]
    style = text("lab.css")
    if (HERE / f"{lab.slug}.css").is_file():
        style += f"\n/* ---- {lab.slug}.css */\n" + text(f"{lab.slug}.css")
    number = CHAPTER_NUMBER.search(lab.chapter)
    return fill(text("page.html"), {
        "title": html.escape(lab.title), "chapter": html.escape(lab.chapter),
        "source": html.escape(lab.source), "version": grokking.__version__,
        "number": number.group(1) if number else "N",
        "style": style, "body": text(f"{lab.slug}.html"),
        "data": as_json(lab.data),
        "script": "\n".join(f"// ---- {name}\n{text(name)}" for name in scripts)})


def index_page(labs):
    """The index: one entry per lab, with its chapter."""
    items = "\n".join(f'<li><a href="{lab.slug}.html">{i}. {html.escape(lab.title)}</a>'
                      f'<br><span class="note">{html.escape(lab.chapter)}</span></li>'
                      for i, lab in enumerate(labs, 1))
    body = ("<p>Move a slider, watch gradient descent move. Every number on these pages was "
            "computed by the grokking package's kernels when the pages were written; the pages "
            "replay them (lab 1 computes a few more with a JavaScript twin of the kernels, and "
            "lab 5, the playground, trains a network live with it).</p>\n"
            f'<ul class="labs">\n{items}\n</ul>')
    return fill(text("page.html"), {
        "title": "The grokking lab", "chapter": "Chapters 2, 6, 7, 9-11 of ours",
        "source": "the grokking package, run by python -m grokking lab",
        "version": grokking.__version__, "number": "N", "style": text("lab.css"), "body": body,
        "data": "{}", "script": "// the index has no script"})
