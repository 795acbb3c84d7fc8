"""The chat tab: questions, cited answers, filters and the report viewer.

The conversation is one HTML component rendered by ``render.py``; its buttons
(citation markers, "Visa i rapporten", the ✕ on an inferred filter, example
questions) send small events with the turn and source number back to Python,
which looks everything up in the session's own list of turns. No text from
the page is trusted as HTML or as a path.

The chat remembers: each question is asked with the answers before it, so a
follow-up takes what it leaves out from them (shown as chips "år: 2019 (från
förra frågan)", removable with ✕); "Rensa samtalet" starts over. With a
language model configured the answer is written by it, streamed sentence by
sentence as each one passes the check against the sources.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import gradio as gr

from ..errors import AssistantError, QuestionError
from ..query.admission import shown_question
from .render import (
    Turn,
    esc,
    example_questions,
    render_conversation,
    render_document,
    render_examples,
    render_viewer_placeholder,
)

if TYPE_CHECKING:
    from ..answer.model import Answer
    from ..api import Assistant

__all__ = [
    "ALL_TYPES",
    "ALL_UNITS",
    "ChatTab",
    "ask_streaming",
    "ask_turn",
    "build_chat_tab",
    "conversation_of",
    "drop_filters",
    "open_source",
]

ALL_UNITS = "Alla enheter"
ALL_TYPES = "Alla typer"
EXAMPLES = 6  # example questions shown under the chat, each one the assistant answers

# Delegated clicks: one listener on the component, so it survives re-renders.
# Event names are quoted here because gradio finds custom events by them.
_CHAT_JS = """
element.addEventListener('click', (ev) => {
  const el = ev.target.closest('[data-action]');
  if (!el || !element.contains(el)) return;
  const d = el.dataset;
  if (d.action === 'copy') {
    const src = element.querySelector('#' + CSS.escape(d.target));
    const text = src ? src.textContent : '';
    const done = () => { el.textContent = 'Kopierat ✓'; setTimeout(() => { el.textContent = 'Kopiera svar'; }, 1500); };
    if (navigator.clipboard) { navigator.clipboard.writeText(text).then(done, () => {}); }
    return;
  }
  if (d.action === 'open') trigger('open_source', {turn: Number(d.turn), n: Number(d.n)});
  if (d.action === 'drop') trigger('drop_filter', {turn: Number(d.turn), key: d.key});
});
const toQuotes = () => {
  // each source card's passage box shows its quoted sentence, however far down the passage it is
  element.querySelectorAll('.ra-passage').forEach((p) => {
    const mark = p.querySelector('mark.ra-quote');
    if (mark) p.scrollTop = Math.max(0, mark.offsetTop - 8);  // .ra-passage is position: relative
  });
};
watch('value', () => {
  const box = element.querySelector('.ra-chat');
  const last = element.querySelector('.ra-turn:last-child');
  if (box && last) box.scrollTop = last.offsetTop;
  toQuotes();
});
"""

_EXAMPLES_JS = """
element.addEventListener('click', (ev) => {
  const el = ev.target.closest('[data-action="example"]');
  if (el) trigger('pick', {question: el.dataset.q});
});
"""

_VIEWER_JS = """
const show = () => {
  const box = element.querySelector('.ra-doc-text');
  const mark = element.querySelector('#ra-passage');
  if (!box || !mark) return;
  box.scrollTop = Math.max(0, mark.offsetTop - 60);  // the passage near the top of the viewer
  const top = element.getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight) element.scrollIntoView({block: 'start'});
};
watch('value', show);
show();
"""


@dataclass
class ChatTab:
    """What the app needs from the chat tab to refresh it after the corpus changed."""

    refresh: Callable[[], tuple[Any, ...]]
    refresh_outputs: list[Any]


def _explicit(years: Sequence[Any] | None, unit: str | None, rtype: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if years:
        out["year"] = sorted(int(y) for y in years)
    if unit and unit != ALL_UNITS:
        out["unit"] = unit
    if rtype and rtype != ALL_TYPES:
        out["type"] = rtype
    return out


def ask_turn(
    assistant: Assistant,
    question: str,
    explicit: Mapping[str, Any],
    dropped: tuple[str, ...] = (),
    kept: Mapping[str, Any] | None = None,
    *,
    history: Sequence[Answer] = (),
    generate: bool | None = None,
    on_text: Callable[[str], None] | None = None,
) -> Turn:
    """Ask one question as the next turn after ``history``; errors become a turn that shows them."""
    kwargs: dict[str, Any] = {k: explicit.get(k) for k in ("year", "unit", "type")}
    kept = {k: v for k, v in (kept or {}).items() if k in ("year", "unit", "type")}
    if dropped:
        kwargs["infer"] = False  # filters read from the question (or carried) are off ...
        for key, value in kept.items():  # ... except those the user did not remove
            if not kwargs.get(key):
                kwargs[key] = value
    past = tuple(history)
    try:
        answer = assistant.ask(question, history=past, generate=generate, on_text=on_text, **kwargs)
    except QuestionError as exc:  # refused unread: shown back shortened (it may be a pasted document)
        return Turn(shown_question(question), error=str(exc), explicit=dict(explicit), dropped=dropped, history=past)
    except AssistantError as exc:
        return Turn(question, error=str(exc), explicit=dict(explicit), dropped=dropped, history=past)
    return Turn(question, answer=answer, explicit=dict(explicit), dropped=dropped, kept=kept, history=past)


def drop_filters(assistant: Assistant, turn: Turn, key: str, *, generate: bool | None = None) -> Turn:
    """Ask ``turn``'s question again without one inferred or carried filter (``key``) or all (``"*"``);
    without the carried subject (``"subject"``) it is asked on its own, within the same filters."""
    inferred = {**turn.kept, **(turn.answer.inferred if turn.answer else {})}
    removed = list(inferred) if key == "*" else [key]
    dropped = tuple(dict.fromkeys([*turn.dropped, *removed]))
    kept = {k: v for k, v in inferred.items() if k not in dropped}
    history = () if "subject" in dropped else turn.history
    return ask_turn(
        assistant, turn.question, turn.explicit, dropped or ("*",), kept, history=history, generate=generate
    )


def conversation_of(turns: Sequence[Turn]) -> list[Answer]:
    """The answers a next question is asked after (turns that failed are not part of the conversation)."""
    return [t.answer for t in turns if t.answer is not None]


def ask_streaming(
    assistant: Assistant, question: str, explicit: Mapping[str, Any], turns: Sequence[Turn], generate: bool | None
) -> Iterator[Turn]:
    """The turn while the language model writes it (``Turn.streaming``: the checked text so far), then the
    finished turn. Without a model: only the finished turn."""
    history = conversation_of(turns)
    if not assistant.llm_configured or generate is False:
        yield ask_turn(assistant, question, explicit, history=history, generate=generate)
        return
    texts: queue.Queue[str | None] = queue.Queue()
    done: dict[str, Turn] = {}

    def work() -> None:
        try:
            done["turn"] = ask_turn(
                assistant, question, explicit, history=history, generate=generate, on_text=texts.put
            )
        finally:
            texts.put(None)

    threading.Thread(target=work, daemon=True).start()
    pending = Turn(question, explicit=dict(explicit), history=tuple(history), streaming="")
    yield pending
    while (text := texts.get()) is not None:
        pending = replace(pending, streaming=text)
        yield pending
    yield done["turn"]


def open_source(assistant: Assistant, turns: Sequence[Turn], turn_index: int, n: int) -> str:
    """The report viewer's HTML for citation ``n`` of turn ``turn_index``."""
    if not 0 <= turn_index < len(turns) or turns[turn_index].answer is None:
        return render_viewer_placeholder()
    answer = turns[turn_index].answer
    assert answer is not None
    citation = next((c for c in answer.citations if c.n == n), None)
    if citation is None:
        return render_viewer_placeholder()
    try:
        doc = assistant.document(citation.report_id)
    except AssistantError as exc:
        return f'<div class="ra-status ra-warn">{esc(exc)}</div>'
    quote = None
    if citation.quote_start is not None and citation.quote_end is not None:
        quote = (citation.start + citation.quote_start, citation.start + citation.quote_end)
    return render_document(doc, citation.start, citation.end, quote)


def build_chat_tab(assistant: Assistant) -> ChatTab:
    """Build the chat tab inside the current ``gr.Tab`` context."""

    answered: dict[str, bool] = {}  # question -> the assistant answers it, for the index in ``asked_of``
    asked_of: list[object] = [None]

    def answers(question: str) -> bool:
        if asked_of[0] is not assistant.index:  # a new index: ask again
            answered.clear()
            asked_of[0] = assistant.index
        if question not in answered:
            try:
                answered[question] = not assistant.ask(question).abstained
            except AssistantError:
                answered[question] = False
        return answered[question]

    def choices() -> tuple[list[int], list[str], list[str], list[str]]:
        catalog = assistant.catalog
        docs = [assistant.document(r.report_id) for r in assistant.reports()]
        # Only examples the assistant answers: an example that says "Jag hittar inget" teaches nothing.
        candidates = example_questions(docs, limit=2 * EXAMPLES)
        examples = [q for q in candidates if not assistant.ready or answers(q)][:EXAMPLES]
        return catalog.years, [ALL_UNITS, *catalog.units], [ALL_TYPES, *catalog.types], examples

    years0, units0, types0, examples0 = choices()
    turns = gr.State([])
    with gr.Row(equal_height=False):
        with gr.Column(scale=1, min_width=200, elem_id="ra-filter-col"):
            gr.Markdown("### Filter")
            years = gr.CheckboxGroup(choices=years0, label="År", elem_id="ra-years")
            unit = gr.Dropdown(choices=units0, value=ALL_UNITS, label="Enhet", elem_id="ra-unit")
            rtype = gr.Dropdown(choices=types0, value=ALL_TYPES, label="Rapporttyp", elem_id="ra-type")
            gr.Markdown(
                "Filtren gäller nästa fråga. År och enhet som nämns i frågan tolkas också som filter; "
                'de visas under svaret och kan tas bort där (✕). En följdfråga ("Och 2020?", '
                '"Varför?") tar det den inte säger från förra frågan.'
            )
            use_model = gr.Checkbox(
                value=assistant.llm_configured,
                visible=assistant.llm_configured,
                label="Låt språkmodellen formulera svaret (kontrolleras mot källorna)",
                elem_id="ra-use-model",
            )
            clear = gr.Button("Rensa samtalet", size="sm", elem_id="ra-clear")
        with gr.Column(scale=3, min_width=380):
            conversation = gr.HTML(
                render_conversation([]), js_on_load=_CHAT_JS, elem_id="ra-conversation", apply_default_css=False
            )
            with gr.Row(equal_height=True):
                question = gr.Textbox(
                    label="Fråga",
                    placeholder="T.ex. Vad var sjukfrånvaron för Assistansenheten 2018?",
                    scale=5,
                    lines=1,
                    max_lines=4,
                    elem_id="ra-question",
                )
                ask_btn = gr.Button("Fråga", variant="primary", scale=1, min_width=90, elem_id="ra-ask")
            examples = gr.HTML(render_examples(examples0), js_on_load=_EXAMPLES_JS, elem_id="ra-examples")
            copy_text = gr.Textbox(
                label="Senaste svaret som text, med källor (för att kopiera)",
                lines=3,
                max_lines=10,
                interactive=False,
                buttons=["copy"],
                elem_id="ra-copy-text",
            )
        with gr.Column(scale=3, min_width=380):
            gr.Markdown("### Källvisare")
            viewer = gr.HTML(render_viewer_placeholder(), js_on_load=_VIEWER_JS, elem_id="ra-viewer")

    def on_ask(q: str, ys: list[Any], u: str, t: str, model: bool, history: list[Turn]) -> Iterator[tuple[Any, ...]]:
        q = (q or "").strip()  # an empty or over-long question is refused by the assistant, shown as a turn
        generate = bool(model) if assistant.llm_configured else None
        for turn in ask_streaming(assistant, q, _explicit(ys, u, t), history, generate):
            if turn.streaming is not None:  # still being written: shown, not yet part of the conversation
                yield gr.update(), render_conversation([*history, turn]), gr.update(), ""
                continue
            done = [*history, turn]
            yield done, render_conversation(done), _plain(turn), ""

    def on_pick(
        ys: list[Any], u: str, t: str, model: bool, history: list[Turn], evt: gr.EventData
    ) -> Iterator[tuple[Any, ...]]:
        yield from on_ask(str(evt.question), ys, u, t, model, history)

    def on_drop(model: bool, history: list[Turn], evt: gr.EventData) -> tuple[Any, ...]:
        i = int(evt.turn)
        if not 0 <= i < len(history):
            return history, gr.update(), gr.update()
        generate = bool(model) if assistant.llm_configured else None
        turn = drop_filters(assistant, history[i], str(evt.key), generate=generate)
        history = [*history, turn]
        return history, render_conversation(history), _plain(turn)

    def on_open(history: list[Turn], evt: gr.EventData) -> str:
        return open_source(assistant, history, int(evt.turn), int(evt.n))

    def on_clear() -> tuple[Any, ...]:
        return [], render_conversation([]), "", render_viewer_placeholder()

    ask_io: dict[str, Any] = {
        "inputs": [question, years, unit, rtype, use_model, turns],
        "outputs": [turns, conversation, copy_text, question],
    }
    # No event is listed in the API description (it is embedded in the page served before login, with
    # every input's choices: years, units); "ask" stays callable by name for gradio_client.
    ask_btn.click(on_ask, api_name="ask", api_visibility="undocumented", **ask_io)
    question.submit(on_ask, api_visibility="private", **ask_io)
    examples.pick(  # type: ignore[attr-defined]
        on_pick,
        inputs=[years, unit, rtype, use_model, turns],
        outputs=[turns, conversation, copy_text, question],
        api_visibility="private",
    )
    conversation.drop_filter(  # type: ignore[attr-defined]
        on_drop, inputs=[use_model, turns], outputs=[turns, conversation, copy_text], api_visibility="private"
    )
    conversation.open_source(  # type: ignore[attr-defined]
        on_open, inputs=[turns], outputs=[viewer], api_visibility="private"
    )
    clear.click(on_clear, outputs=[turns, conversation, copy_text, viewer], api_visibility="private")

    def refresh() -> tuple[Any, ...]:
        ys, us, ts, ex = choices()
        return (
            gr.update(choices=ys),
            gr.update(choices=us),
            gr.update(choices=ts),
            render_examples(ex),
        )

    return ChatTab(refresh=refresh, refresh_outputs=[years, unit, rtype, examples])


def _plain(turn: Turn) -> str:
    if turn.error:
        return f"Fel: {turn.error}"
    return turn.answer.as_text() if turn.answer else ""
