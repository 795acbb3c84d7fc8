"""A report a user brings, as a real Word file and a real PDF: "Verksamhetsberättelse 2021 för Daglig
verksamhet Solrosen" (Bromma), with a section about the year after ("Utvecklingsområden 2022"), a
series sentence, a table, and in the PDF a running header, a footer and page numbers.

Used by the tests of uploading, metadata, years inside a report and the browser test.
"""

from __future__ import annotations

from pathlib import Path

TITLE = "Verksamhetsberättelse 2021 för Daglig verksamhet Solrosen"
UNIT = "Daglig verksamhet Solrosen"
DISTRICT = "Bromma"
HEADER = "Bromma stadsdelsförvaltning – Avdelningen för stöd och omsorg"

SECTIONS: list[tuple[str, list[str]]] = [
    (
        "Sammanfattande analys",
        [
            "Daglig verksamhet Solrosen erbjuder meningsfull sysselsättning enligt LSS för vuxna med "
            "intellektuell funktionsnedsättning i Bromma. Verksamheten har fyra grupper: snickeriet, "
            "trädgården, bageriet och en grupp för deltagare som behöver ett lugnt tempo.",
            "Sjukfrånvaron bland medarbetarna blev 9,4 % under 2021, jämfört med 11,2 % år 2020. Den "
            "minskade framför allt under hösten när fler medarbetare var vaccinerade.",
            "Solrosen redovisar ett överskott på 310 tkr för 2021, främst på grund av en vakant tjänst "
            "som arbetsterapeut under våren.",
        ],
    ),
    (
        "Verksamhetens förutsättningar",
        [
            "Vid årets slut var 38 deltagare inskrivna i verksamheten. Snickeriet tog under året emot "
            "beställningar på fågelholkar från två förskolor i stadsdelen.",
            "Bageriet levererar bröd till stadsdelens träffpunkter tre dagar i veckan, och deltagarna "
            "sköter själva beställningar, bakning och leveranser med stöd av handledare.",
        ],
    ),
    (
        "Uppföljning av ekonomi",
        [
            "Intäkterna bygger på ersättning per deltagare och närvarodag. Kostnaderna för material "
            "ökade under året, särskilt för virke till snickeriet.",
        ],
    ),
    (
        "Utvecklingsområden 2022",
        [
            "Solrosen startar en återbruksgrupp där deltagarna reparerar och säljer begagnade möbler.",
            "Alla handledare ska gå en utbildning i alternativ och kompletterande kommunikation under våren.",
            "Verksamheten inför digitala närvarolistor så att deltagarnas scheman blir lättare att följa upp.",
        ],
    ),
]
TABLE = [["Grupp", "Deltagare", "Handledare"], ["Snickeriet", "11", "3"], ["Trädgården", "9", "2"]]


def write_docx(path: Path) -> Path:
    """The report as a Word file: heading styles, a Word table, core properties."""
    import docx

    document = docx.Document()
    document.core_properties.title = TITLE
    document.add_heading(TITLE, level=1)
    document.add_paragraph(f"{DISTRICT} stadsdelsförvaltning")
    for title, paragraphs in SECTIONS:
        document.add_heading(title, level=2)
        for text in paragraphs:
            document.add_paragraph(text)
        if title == "Verksamhetens förutsättningar":
            table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
            for r, row in enumerate(TABLE):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    document.save(str(path))
    return path


def write_pdf(path: Path, *, administration: bool = True) -> Path:
    """The report as a PDF: one section a page after a title page, running header, footer "Sida N av M".

    ``administration=False``: the title page does not name the district's administration, so the
    district is only mentioned in passing (an uncertain field on upload).
    """
    from fpdf import FPDF

    font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

    class Report(FPDF):
        def header(self) -> None:
            if self.page_no() > 1:
                self.set_font("dejavu", size=8)
                self.cell(
                    0, 6, HEADER if administration else "Avdelningen för stöd och omsorg", new_x="LMARGIN", new_y="NEXT"
                )

        def footer(self) -> None:
            if self.page_no() > 1:
                self.set_y(-15)
                self.set_font("dejavu", size=8)
                self.cell(0, 6, f"Solrosen VB 2021    Sida {self.page_no()} av {{nb}}", align="R")

    pdf = Report()
    pdf.add_font("dejavu", fname=font)
    pdf.add_font("dejavu", style="B", fname=font.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
    pdf.set_title(TITLE)
    pdf.add_page()
    pdf.set_font("dejavu", size=18)
    pdf.multi_cell(0, 10, "Verksamhetsberättelse 2021", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 10, UNIT, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("dejavu", size=11)
    if administration:
        pdf.multi_cell(0, 7, f"{DISTRICT} stadsdelsförvaltning", new_x="LMARGIN", new_y="NEXT")
    for title, paragraphs in SECTIONS:
        pdf.add_page()
        pdf.set_font("dejavu", size=14)
        pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("dejavu", size=10)
        for text in paragraphs:
            pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        if title == "Verksamhetens förutsättningar":
            with pdf.table() as table:
                for row in TABLE:
                    cells = table.row()
                    for cell in row:
                        cells.cell(cell)
    pdf.output(str(path))
    return path
