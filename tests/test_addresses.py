"""Web addresses in editors' texts: found, shown short, broken only at their joints."""

from reports import addresses
from reports.addresses import breakable, find_addresses, short
from reports.texts import render
from reports.typography import typographic

ADDRESS = "https://www.auswaertiges-amt.de/blob/2380500/33f978/200901-leitlinien--data.pdf"


def test_an_address_ends_before_the_punctuation_of_its_sentence():
    text = f"See {ADDRESS}. And (www.example.org/a_(b))."
    assert [text[start:end] for start, end in find_addresses(text)] == [ADDRESS, "www.example.org/a_(b)"]


def test_breaks_after_slashes_and_before_dots_never_after_a_hyphen():
    html = str(breakable("https://x.de/a-b.pdf?q=1&r=2"))
    assert html == (
        '<span class="address">https://<wbr>x<wbr>.de/<wbr>a<wbr><span class="joint">-b</span><wbr>.pdf'
        "<wbr>?q=<wbr>1&amp;<wbr>r=<wbr>2</span>"
    )


def test_a_source_shows_its_address_short_and_its_words_in_the_typography_of_its_language():
    assert short(ADDRESS) == "auswaertiges-amt.de/blob/…/200901-leitlinien--data.pdf"
    assert short("https://www.example.org/") == "example.org"
    html = str(typographic(f'"Guidelines" <2020>. {ADDRESS}', "de", address=addresses.in_source))
    assert html.startswith("„Guidelines“ &lt;2020&gt;. ")
    assert f'<a class="address-link" href="{ADDRESS}">' in html  # linking to the whole address
    assert "blob/<wbr>…/<wbr>200901" in html and 'eitlinien<wbr><span class="joint">--d</span>ata' in html


def test_an_address_in_markdown_keeps_its_double_hyphen_and_the_text_its_typography():
    html = str(render(f'Read "this" -- at {ADDRESS}.'))
    assert "“this” –" in html  # the typographer still works on the words
    assert "--<wbr>data" not in html and '<span class="joint">--d</span>ata' in html  # not made a dash
    assert html.endswith("</span>.</p>\n")
