"""The edition diff as a document: summary, assessments, ratings (chart + table), facts, texts."""

from __future__ import annotations

from ..charts import Chart, dumbbell_chart
from ..diff import EditionDiff, RatingChange
from ..i18n import N_, Language
from ..questions import LABELS
from . import Document

SECTIONS = {"summary": N_("Card summary"), **LABELS}  # the texts a diff compares, as headings


def rating_charts(diff: EditionDiff, language: Language) -> dict[str, Chart]:
    """One dumbbell chart per interest with rating changes."""
    _ = language.gettext
    by_interest: dict[str, list[RatingChange]] = {}
    for change in diff.ratings:
        by_interest.setdefault(change.interest, []).append(change)
    scale = diff.after.edition.rating_scale
    before, after = str(diff.before.edition.edition), str(diff.after.edition.edition)
    charts = {}
    for interest, changes in by_interest.items():
        labels = [f"{language.plain(c.country.name)} · {_(LABELS[c.question])}" for c in changes]
        alt = _("Rating changes for {interest} from {before} to {after}: {changes}.").format(
            interest=language.plain(diff.after.interests[interest].short),
            before=before,
            after=after,
            changes="; ".join(f"{label} {c.before} → {c.after}" for label, c in zip(labels, changes)),
        )
        charts[interest] = dumbbell_chart(
            labels, [c.before for c in changes], [c.after for c in changes], before, after, scale.min, scale.max, alt
        )
    return charts


def diff_document(diff: EditionDiff, language_code: str, before_archived: bool, after_archived: bool) -> Document:
    """before/after_archived: whether each side is a sealed edition or the working data."""
    language = Language(language_code)
    charts = rating_charts(diff, language)
    interests = {**diff.before.interests, **diff.after.interests}
    return Document(
        "diff.html",
        language_code,
        {
            "diff": diff,
            "edition": diff.after.edition,
            "archived": (before_archived, after_archived),
            "interests": interests,
            "charts": charts,
            "sections": SECTIONS,
        },
        list(charts.values()),
    )
