"""HTML rendering of the web interface: escaping, highlights, abstention style."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from assistant.answer.model import Answer, Citation
from assistant.documents import Block, Document, ReportMeta
from assistant.ui.render import (
    ABSTAIN_TITLE,
    PASSAGE_ID,
    Turn,
    example_questions,
    render_answer,
    render_conversation,
    render_document,
    render_examples,
    render_passage,
    render_reports_table,
    render_status,
)

EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> & "quotes" ${1+1} {{value}}'


class TagCollector(HTMLParser):
    """Every start tag and attribute the browser would create."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> TagCollector:
    p = TagCollector()
    p.feed(html)
    p.close()
    return p


def assert_inert(html: str) -> None:
    """No script/img element and no on* attribute: nothing in the HTML can run."""
    parsed = parse(html)
    assert not [t for t, _ in parsed.tags if t in {"script", "img", "iframe", "object", "embed", "svg"}]
    for tag, attrs in parsed.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for value in attrs.values():
            assert not (value or "").lower().startswith("javascript:")


def meta(**kw: object) -> ReportMeta:
    base: dict[str, object] = dict(
        report_id="r1",
        source="corpus/r1.txt",
        title="Verksamhetsberättelse 2018 – Assistansenheten",
        unit="Assistansenheten",
        district="Hägersten-Liljeholmen",
        year=2018,
        type="verksamhetsberättelse",
        pages=12,
        origin={"title": "detected", "unit": "manifest", "year": "detected", "type": "detected"},
    )
    base.update(kw)
    return ReportMeta(**base)  # type: ignore[arg-type]


def citation(n: int = 1, text: str = "Inledning. Sjukfrånvaron var 7,1 %. Slut.", **kw: object) -> Citation:
    start = text.index("Sjukfrånvaron") if "Sjukfrånvaron" in text else 0
    base: dict[str, object] = dict(
        n=n,
        report_id="r1",
        source="corpus/r1.txt",
        title="Verksamhetsberättelse 2018 – Assistansenheten",
        unit="Assistansenheten",
        year=2018,
        type="verksamhetsberättelse",
        section="KF:s inriktningsmål 4 › KF:s mål 4.2",
        page=7,
        text=text,
        quote_start=start,
        quote_end=start + len("Sjukfrånvaron var 7,1 %.") if "Sjukfrånvaron" in text else None,
        score=0.9,
        start=100,
        end=100 + len(text),
    )
    base.update(kw)
    return Citation(**base)  # type: ignore[arg-type]


def answer(**kw: object) -> Answer:
    base: dict[str, object] = dict(
        question="Vad var sjukfrånvaron för Assistansenheten 2018?",
        answer="Sjukfrånvaron var 7,1 %. [1]",
        abstained=False,
        filters={"year": 2018, "unit": "Assistansenheten", "type": None},
        citations=(citation(),),
        timings_ms={"total": 1.0},
        sentences=(("Sjukfrånvaron var 7,1 %.", 1),),
        inferred={"year": 2018, "unit": "Assistansenheten"},
    )
    base.update(kw)
    return Answer(**base)  # type: ignore[arg-type]


# ------------------------------------------------------------------ escaping
def test_report_text_with_script_is_escaped_everywhere() -> None:
    c = citation(text=f"Före {EVIL} efter.", title=EVIL, section=EVIL, unit=EVIL, quote_start=None, quote_end=None)
    a = answer(citations=(c,), sentences=((EVIL, 1),), answer=EVIL)
    html = render_conversation([Turn(question=EVIL, answer=a)])
    assert_inert(html)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "onerror=&quot;" in html  # shown as text, not an attribute
    text = "".join(parse(html).text)
    assert "<script>window.__pwned=1</script>" in text  # the reader sees the literal characters


def test_document_viewer_escapes_and_marks_the_passage() -> None:
    text = f"Rubrik\nFörsta stycket.\n{EVIL}\nSjukfrånvaron var 7,1 %. Mer text.\nSista."
    start = text.index("Sjukfrånvaron")
    end = text.index("Sista.")
    doc = Document(
        meta=meta(title=EVIL),
        text=text,
        blocks=(Block("heading", 0, 6, level=0, title="Rubrik"),),
        source_text=text,
        offset_map=(),
        page_spans=(),
    )
    html = render_document(doc, start, end, (start, start + len("Sjukfrånvaron var 7,1 %.")))
    assert_inert(html)
    marks = [a for t, a in parse(html).tags if t == "mark"]
    assert marks[0]["id"] == PASSAGE_ID
    assert len([m for m in marks if m.get("id") == PASSAGE_ID]) == 1
    assert 'class="ra-doc-passage ra-doc-quote" id="ra-passage">Sjukfrånvaron var 7,1 %.</mark>' in html
    assert '<mark class="ra-doc-passage"> Mer text.\n</mark>' in html
    assert '<strong class="ra-doc-heading">Rubrik</strong>' in html
    # Nothing of the text is lost or duplicated by the cutting.
    assert "".join(parse(html).text).endswith(text.replace("<", "<"))


def test_document_viewer_passage_crossing_a_heading_keeps_tags_nested() -> None:
    text = "Inledning om året.\nRubrik två\nBrödtext här."
    doc = Document(meta(), text, (Block("heading", 19, 29, level=0),), text, (), ())
    html = render_document(doc, 10, 35)
    # Well-formed: every open tag is closed in order.
    stack: list[str] = []
    for m in re.finditer(r"<(/?)(mark|strong)\b[^>]*>", html):
        if m.group(1):
            assert stack.pop() == m.group(2)
        else:
            stack.append(m.group(2))
    assert not stack
    assert html.count(f'id="{PASSAGE_ID}"') == 1


def test_document_without_passage_has_no_mark() -> None:
    doc = Document(meta(), "Bara text.", (), "Bara text.", (), ())
    assert "<mark" not in render_document(doc)


def test_reports_table_escapes_metadata_and_names_origin() -> None:
    html = render_reports_table([meta(title=EVIL, unit="A<b>B</b>")], {"r1": 31})
    assert_inert(html)
    assert "A&lt;b&gt;B&lt;/b&gt;" in html
    assert "rättat: enhet" in html
    assert "<td>31</td>" in html
    assert render_reports_table([], {}).count("Inga rapporter") == 1


def test_status_and_examples_escape() -> None:
    assert_inert(render_status(EVIL, "error"))
    html = render_examples([EVIL, "Vad var sjukfrånvaron 2018?"])
    assert_inert(html)
    assert 'data-q="&lt;script&gt;' in html


# ------------------------------------------------------------------ highlights
def test_passage_highlights_exactly_the_quoted_sentence() -> None:
    text = "Inledning. Sjukfrånvaron var 7,1 %. Slut."
    html = render_passage(text, 11, 35)
    assert html == 'Inledning. <mark class="ra-quote">Sjukfrånvaron var 7,1 %.</mark> Slut.'


@pytest.mark.parametrize("span", [(None, None), (5, 3), (0, 999), (-1, 4)])
def test_passage_with_missing_or_bad_span_is_plain(span: tuple[int | None, int | None]) -> None:
    assert render_passage("Ingen <mark> här.", *span) == "Ingen &lt;mark&gt; här."


def test_answer_has_citation_markers_and_source_card() -> None:
    html = render_answer(answer(), 3)
    assert 'data-action="open" data-turn="3" data-n="1"' in html
    assert "[1]</button>" in html
    assert 'class="ra-card"' in html and 'data-year="2018"' in html
    for piece in ("Assistansenheten", "2018", "verksamhetsberättelse", "s. 7", "KF:s inriktningsmål 4 › KF:s mål 4.2"):
        assert piece in html
    assert '<mark class="ra-quote">Sjukfrånvaron var 7,1 %.</mark>' in html
    assert "ra-abstained" not in html


def test_several_years_are_prefixed() -> None:
    c1, c2 = citation(1, year=2012), citation(2, year=2018)
    a = answer(citations=(c1, c2), sentences=(("A.", 1), ("B.", 2)))
    html = render_answer(a)
    assert '<span class="ra-year">2012:</span> A.' in html
    assert '<span class="ra-year">2018:</span> B.' in html


def test_two_quotes_of_one_year_are_introduced_once() -> None:
    c1, c2, c3 = citation(1, year=2012), citation(2, year=2012), citation(3, year=2018)
    a = answer(citations=(c1, c2, c3), sentences=(("A.", 1), ("A2.", 2), ("B.", 3)))
    html = render_answer(a)
    assert html.count('<span class="ra-year">2012:</span>') == 1
    assert '<p class="ra-sentence">A2. ' in html


def test_a_notice_beside_an_answer_is_shown() -> None:
    a = answer(notice="Det finns ingen rapport för 2013; svaret kommer ur en rapport som nämner 2013.")
    html = render_answer(a)
    assert 'class="ra-notice"' in html and "ingen rapport för 2013" in html
    assert "ra-abstained" not in html


# ------------------------------------------------------------------ filters
def test_inferred_filters_can_be_removed() -> None:
    html = render_answer(answer(), 0, Turn("q", explicit={}))
    assert html.count('data-action="drop"') == 3  # year ✕, unit ✕, "Sök utan de tolkade filtren"
    assert 'data-key="year"' in html and 'data-key="unit"' in html and 'data-key="*"' in html
    assert "tolkat från frågan" in html


def test_filters_chosen_beside_the_chat_are_not_removable_here() -> None:
    a = answer(inferred={}, filters={"year": 2018, "unit": None, "type": None})
    html = render_answer(a, 0, Turn("q", explicit={"year": [2018]}))
    assert "år: 2018" in html
    assert 'data-action="drop"' not in html


# ------------------------------------------------------------------ abstention
def test_abstention_looks_different() -> None:
    a = answer(
        abstained=True,
        answer="Jag hittar inget om det i rapporterna. Det finns ingen rapport för 2030.",
        notice="Det finns ingen rapport för 2030.",
        sentences=(),
        filters={"year": None, "unit": None, "type": None},
        inferred={},
        citations=(citation(quote_start=None, quote_end=None),),
    )
    html = render_answer(a)
    assert 'class="ra-answer ra-abstained" role="alert" data-abstained="true"' in html
    assert f"⚠ {ABSTAIN_TITLE}" in html
    assert "Närmaste avsnitt – de svarar inte på frågan" in html
    assert 'class="ra-card ra-near"' in html
    visible = re.sub(r"<pre .*?</pre>", "", html, flags=re.S)  # the hidden copy text has it too
    assert visible.count("Det finns ingen rapport för 2030.") == 1  # the notice is not repeated
    normal = render_answer(answer())
    assert ABSTAIN_TITLE not in normal and 'data-abstained="false"' in normal


def test_copy_text_is_the_plain_answer_with_references() -> None:
    a = answer()
    html = render_answer(a, 2)
    plain = re.search(r'<pre class="ra-plain" id="ra-text-2" hidden>(.*?)</pre>', html, re.S)
    assert plain is not None
    import html as htmllib

    assert htmllib.unescape(plain.group(1)) == a.as_text()
    assert "[1] Verksamhetsberättelse 2018 – Assistansenheten" in a.as_text()


def test_error_turn_and_empty_conversation() -> None:
    assert "Ställ en fråga" in render_conversation([])
    html = render_conversation([Turn("fråga", error="Frågan är tom <b>")])
    assert 'class="ra-answer ra-error"' in html and "Frågan är tom &lt;b&gt;" in html


# ------------------------------------------------------------------ example questions
def _doc(text: str, **kw: object) -> Document:
    return Document(meta(**kw), text, (), text, (), ())


def test_example_questions_only_for_indicators_present() -> None:
    docs = [
        _doc("Sjukfrånvaron var 7 %.", report_id="a", year=2018, unit="Assistansenheten"),
        _doc("Synpunkter och klagomål: 4 st.", report_id="b", year=2020, unit="Enheten för personligt stöd"),
        _doc(
            "Utvecklingsområden 2025 ...",
            report_id="c",
            year=2025,
            unit="Enheten för personligt stöd",
            type="verksamhetsplan",
        ),
        _doc("Sjukfrånvaron 2012 var 8 %.", report_id="d", year=2012, unit="Assistansenheten"),
    ]
    qs = example_questions(docs)
    assert "Vilka utvecklingsområden har Enheten för personligt stöd för 2025?" in qs
    assert "Hur många synpunkter och klagomål fick Enheten för personligt stöd 2020?" in qs
    assert "Vad var sjukfrånvaron för Assistansenheten 2018?" in qs
    assert "Hur har sjukfrånvaron utvecklats för Assistansenheten över åren?" in qs
    assert not [q for q in qs if "sjukfrånvaron" in q and "personligt stöd" in q]  # that unit never mentions it
    assert len(qs) == len(set(qs))


def test_example_questions_skip_reports_without_unit_or_year() -> None:
    assert example_questions([_doc("Sjukfrånvaro 5 %", unit=None), _doc("Sjukfrånvaro", year=None)]) == []
