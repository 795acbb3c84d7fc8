"""A conversation: the answers so far, so that a follow-up question can take what it leaves out.

    from assistant import Assistant, Conversation
    a = Assistant()
    chat = Conversation(a)
    chat.ask("Vad var sjukfrånvaron för Assistansenheten 2018?")
    ans = chat.ask("Och året innan?")        # Assistansenheten, sjukfrånvaro, 2017 (no report: said so)
    [c.label for c in ans.carried]           # ['år: 2017 (räknat från 2018 i förra frågan)', …]
    chat.clear()                              # "Rensa samtalet"

``Assistant.ask(question, history=…)`` takes a ``Conversation`` or any list of earlier answers; the
resolution itself (what is carried, and why) is :mod:`assistant.query.followup`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .answer.model import Answer
from .query.followup import Resolution, TurnContext

if TYPE_CHECKING:
    from .api import Assistant

__all__ = ["Conversation", "previous_turn", "with_turn"]


class Conversation(Sequence[Answer]):
    """The answers of one conversation, oldest first."""

    def __init__(self, assistant: Assistant | None = None, answers: Sequence[Answer] = ()) -> None:
        self.assistant = assistant
        self.answers: list[Answer] = list(answers)

    def ask(self, question: str, **options: Any) -> Answer:
        """Ask ``question`` as the next turn (options as for ``Assistant.ask``) and remember the answer."""
        if self.assistant is None:
            raise TypeError("Conversation(assistant) behövs för att kunna fråga.")
        answer = self.assistant.ask(question, history=self.answers, **options)
        self.answers.append(answer)
        return answer

    def add(self, answer: Answer) -> None:
        self.answers.append(answer)

    def clear(self) -> None:
        self.answers.clear()

    def __getitem__(self, i: Any) -> Any:
        return self.answers[i]

    def __len__(self) -> int:
        return len(self.answers)

    def __iter__(self) -> Iterator[Answer]:
        return iter(self.answers)


def previous_turn(history: Sequence[Answer] | None) -> TurnContext | None:
    """What the next question may take from the conversation: the last turn that has a context."""
    for answer in reversed(list(history or ())):
        context = getattr(answer, "context", None)
        if isinstance(context, TurnContext):
            years = () if answer.abstained else tuple(sorted({c.year for c in answer.citations if c.year}))
            return context.with_answer_years(years)
    return None


def with_turn(answer: Answer, question: str, turn: Resolution) -> Answer:
    """The answer as the user's turn: their question as asked, what it carried, what it leaves to the next."""
    return replace(answer, question=" ".join(question.split()), carried=turn.carried, context=turn.context)
