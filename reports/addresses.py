"""Web addresses in editors' texts, set so that they stay in their column.

An address is one long "word" to the line breaker: it runs past the column,
or hyphenation puts a hyphen into it that a reader would type. Here each
address becomes a span of its own (styles/atlas.css: no hyphenation, and a
break anywhere if a part is still too long) with break opportunities (<wbr>)
where a reader expects a line to break in an address: after a slash, before
a dot, hyphen, underscore, question mark or hash, after = and &; never after
a hyphen. Nothing of the address itself changes, so what is printed can be
typed.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# An address: with its scheme, or starting with www. Punctuation that ends a sentence is not part of it.
ADDRESS = re.compile(r"(?:https?://|www\.)[^\s<>\"'“”‘’«»]+", flags=re.IGNORECASE)
_TRAILING = ".,;:!?)]}"
_BREAK_AFTER = re.compile(r"(//?|[=&])")  # a break opportunity after these
_BREAK_BEFORE = re.compile(r"(?<=[^.\-_?#%~/])([.\-_?#%~]+)")  # and before these (a run of them: once)
SHORT = 60  # longer shown addresses lose their middle path segments (the link keeps the whole)


def find_addresses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each address in a text."""
    spans = []
    for match in ADDRESS.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in _TRAILING:
            if text[end - 1] == ")" and text[match.start() : end].count("(") >= text[match.start() : end].count(")"):
                break  # a bracket that belongs to the address, as in a wiki's (disambiguation)
            end -= 1
        spans.append((match.start(), end))
    return spans


def breakable(address: str) -> Markup:
    """An address as HTML with break opportunities at its natural joints."""
    marked = _BREAK_BEFORE.sub("\0\\1", _BREAK_AFTER.sub("\\1\0", address))  # \0: a break opportunity
    # A hyphen of the address would let the line break after it, where a reader takes it for a
    # hyphen put in by the break (and copying the text drops it): kept with the next character.
    html = re.sub("(-+)([^<&\0])", r'<span class="joint">\1\2</span>', str(escape(marked)))
    html = re.sub("\0+", "<wbr>", html)
    return Markup('<span class="address">{}</span>').format(Markup(html))


def short(address: str) -> str:
    """The address as shown: no scheme, no 'www.', no trailing slash; a long one without the
    middle of its path ('example.org/a/…/file.pdf')."""
    shown = re.sub(r"^(?:https?://)?(?:www\.)?", "", address, flags=re.IGNORECASE).rstrip("/")
    if len(shown) > SHORT:
        host, _, path = shown.partition("/")
        parts = path.split("/")
        if len(parts) > 2:
            shown = f"{host}/{parts[0]}/…/{parts[-1]}"
    return shown


def in_source(address: str) -> Markup:
    """An address in a source, as shown: short and breakable, a link to the whole address."""
    target = address if "://" in address else "https://" + address
    return Markup('<a class="address-link" href="{}">{}</a>').format(target, breakable(short(address)))
