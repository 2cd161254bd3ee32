"""How easy a piece of text is to read, for editors (never shown to the public).

NHS content guidance asks us to write so that most people can understand on first reading:
aim for a reading age of 9 to 11, which is a Flesch reading ease of about 60 or more.
The reading age is the Flesch–Kincaid grade (a US school year) plus 5.
"""

from dataclasses import dataclass

import textstat

from core.richtext import is_blank

TARGET_FLESCH = 60
TARGET_READING_AGE = (9, 11)
GUIDANCE = (
    "NHS content guidance: write so most people understand on first reading. Aim for a "
    f"reading age of {TARGET_READING_AGE[0]} to {TARGET_READING_AGE[1]} "
    f"(a Flesch reading ease of {TARGET_FLESCH} or more): short sentences, everyday words."
)


@dataclass(frozen=True)
class Readability:
    flesch: float
    reading_age: int

    @property
    def on_target(self) -> bool:
        return self.flesch >= TARGET_FLESCH and self.reading_age <= TARGET_READING_AGE[1]

    def __str__(self) -> str:
        verdict = "on target" if self.on_target else "harder than the target"
        return (
            f"Flesch reading ease {self.flesch:.0f} (target {TARGET_FLESCH} or more); "
            f"reading age about {self.reading_age} (target {TARGET_READING_AGE[0]} to "
            f"{TARGET_READING_AGE[1]}): {verdict}."
        )


def readability(text: str) -> Readability | None:
    """Scores for plain text, or None when there is nothing to score."""
    if is_blank(text):
        return None
    grade = textstat.flesch_kincaid_grade(text)
    return Readability(
        flesch=textstat.flesch_reading_ease(text), reading_age=max(5, round(grade) + 5)
    )
