"""The five key questions every assessment answers: one table, read by the loader, documents and templates.

Each question has its id (the key in ratings and answers), its label as a heading (English, translated
where it is printed, like every label) and whether it is rated. The '## ' headings an editor may write
for it in an assessment's Markdown file are its label in any language with a catalogue (reports/texts.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import N_


@dataclass(frozen=True)
class KeyQuestion:
    id: str
    label: str  # English; translate with the document's gettext where it is printed
    rated: bool  # the recommendation is answered in prose only


QUESTIONS = (
    KeyQuestion("relevance", N_("Relevance"), rated=True),
    KeyQuestion("willingness", N_("Willingness"), rated=True),
    KeyQuestion("status_quo", N_("Status quo"), rated=True),
    KeyQuestion("potential", N_("Potential"), rated=True),
    KeyQuestion("recommendation", N_("Policy recommendation"), rated=False),
)

KEY_QUESTIONS = tuple(question.id for question in QUESTIONS)  # in the order an assessment answers them
RATED_QUESTIONS = tuple(question.id for question in QUESTIONS if question.rated)
LABELS = {question.id: question.label for question in QUESTIONS}
