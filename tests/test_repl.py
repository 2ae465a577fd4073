"""The interactive session, driven for real through prompt_toolkit's pipe input: keys in, text
out, no terminal. History between sessions, slash commands, multi-line input, Ctrl-C during an
answer, Ctrl-D."""

from __future__ import annotations

import _thread
import io
import re
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from summbot.engines.extractive import ExtractiveEngine
from summbot.errors import EngineTimeout
from summbot.repl import HELP, Repl, history_path
from summbot.summarize import summarize
from tests.fakes import FakeEngine
from tests.qa_helpers import BlockingEngine, grounded, museum

CTRL_C = "\x03"
CTRL_D = "\x04"
UP = "\x1b[A"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"

S1 = "The Lindqvist Museum will reopen on June 3 after a two-year renovation, its director Maria Santos said on Monday."
S6 = "Councillor Tom Hale said the museum drew 210,000 visitors in 2022."
BANNER = (
    "Asking about: Lindqvist Museum to reopen in June\n"
    "Source: test.txt · 73 words · 7 sentences\n"
    "Engine: extractive (offline)\n"
    "Type a question; /help lists the commands; Ctrl-D or /quit leaves.\n"
)
FAKE_BANNER = BANNER.replace("extractive (offline)", "fake · model fake-model")


@pytest.fixture(autouse=True)
def _data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("SUMMBOT_DATA_DIR", str(tmp_path / "data"))


def drive(keys: str, engine=None, article=None, **options) -> tuple[str, Repl]:
    """Run a session on ``keys`` (typed in advance); returns everything it wrote, and the Repl."""
    out = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        repl = Repl(article or museum(), engine or ExtractiveEngine(), out=out, pt_input=pipe,
                    pt_output=DummyOutput(), **options)
        repl.run()
    return out.getvalue(), repl


def test_the_session_starts_by_naming_the_article_its_length_and_the_engine():
    output, _ = drive(CTRL_D)

    assert output == BANNER + "\n"


def test_an_llm_session_names_the_engine_and_model():
    output, _ = drive(CTRL_D, engine=FakeEngine(model="gpt-test"))

    assert output.splitlines()[2] == "Engine: fake · model gpt-test"


def test_a_question_is_answered_with_its_evidence():
    output, _ = drive("How many visitors did the museum draw in 2022?\n/quit\n")

    assert output == BANNER + f"\n\n{S6}\n\nEvidence\n  [S6] “{S6}”\n\n"


def test_questions_are_kept_in_the_history_file_and_recalled_in_the_next_session(tmp_path):
    drive("How many visitors did the museum draw in 2022?\n/quit\n")

    assert history_path() == tmp_path / "data" / "history"
    assert "+How many visitors did the museum draw in 2022?\n" in history_path().read_text()

    # Arrow up twice recalls the question before "/quit"; Enter asks it again.
    output, repl = drive(UP + UP + "\n" + CTRL_D)

    assert list(repl.session.history.get_strings()) == [
        "How many visitors did the museum draw in 2022?", "/quit", "How many visitors did the museum draw in 2022?",
    ]
    assert output == BANNER + f"\n\n{S6}\n\nEvidence\n  [S6] “{S6}”\n\n"


def test_an_unwritable_history_folder_is_said_and_the_session_goes_on(monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("SUMMBOT_DATA_DIR", str(blocker))

    output, _ = drive("How many visitors did the museum draw in 2022?\n" + CTRL_D)

    assert output.splitlines()[4].startswith(
        f"(questions are not kept between sessions: cannot write {blocker / 'history'}: "
    )
    assert output.splitlines()[4].endswith("; set SUMMBOT_DATA_DIR to a writable folder)")
    assert f"[S6] “{S6}”" in output


def test_help_lists_the_commands():
    output, _ = drive("/help\n/quit\n")

    assert output == BANNER + "\n\n" + HELP + "\n\n"
    assert "/sources" in HELP and "/save FILE" in HELP and "Ctrl-C cancels" in HELP


def test_an_unknown_command_gets_a_helpful_line():
    output, _ = drive("/sumary\n/frobnicate\n/quit\n")

    assert output.endswith(
        "\n\nUnknown command /sumary. Did you mean /summary? Type /help for the list.\n"
        "\n\nUnknown command /frobnicate. Type /help for the list.\n\n"
    )


def test_sources_shows_the_cited_sentences_highlighted_in_their_paragraphs():
    output, _ = drive("What did Santos say?\n/sources\n/quit\n")

    assert output.endswith(
        "Sources of the last answer\n\n"
        f"Paragraph 1\n**[S1] {S1}** The work cost 14 million euros.\n\n"
        "Paragraph 2\n**[S3] “We rebuilt the roof and every gallery,” Santos said.** "
        "**[S4] She added that entry would stay free for children.**\n\n"
    )


def test_sources_before_any_question_says_so():
    output, _ = drive("/sources\n/quit\n")

    assert output.endswith("\nNo answer yet: ask a question first.\n\n")


def test_sources_after_a_refusal_shows_the_closest_passages():
    engine = FakeEngine().enqueue({"answer": "The article does not say.", "answerable": False, "citations": []})

    output, _ = drive("Who runs the museum café?\n/sources\n/quit\n", engine=engine)

    assert "\nThe last answer was a refusal; the closest passages\n\n" in output
    assert output.endswith("\n\nParagraph 4\n**[S7] The museum's café will be run by a local bakery.**\n\n")


def test_clear_forgets_the_conversation():
    engine = FakeEngine().enqueue(
        grounded("June 3.", ("S1", "will reopen on June 3")),
        grounded("14 million euros.", ("S2", "14 million euros")),
        grounded("The council.", ("S5", "The city council paid")),
    )

    output, _ = drive("When does it reopen?\nWhat did it cost?\n/clear\nWho paid?\n/quit\n", engine=engine)

    assert [r.task.history for r in engine.history] == [
        [],
        [("When does it reopen?", "June 3.")],
        [],
    ]
    assert "\nConversation forgotten: the next question starts afresh.\n" in output


def test_save_writes_the_transcript_as_markdown(tmp_path):
    target = tmp_path / "notes.md"

    output, _ = drive(f"How many visitors did the museum draw in 2022?\n/save {target}\n/quit\n")

    assert f"\nSaved the transcript (1 answer) to {target}.\n" in output
    text = re.sub(r"saved \d{4}-\d\d-\d\d \d\d:\d\d UTC", "saved DATE", target.read_text(encoding="utf-8"))
    assert text == (
        "# Questions about: Lindqvist Museum to reopen in June\n\n"
        "*Source: test.txt · engine: extractive (offline) · saved DATE*\n\n"
        "## How many visitors did the museum draw in 2022?\n\n"
        f"{S6}\n\n"
        f"> **S6:** “{S6}”\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "notes.md"]  # no temporary left


def test_save_without_a_file_name_or_into_a_missing_folder_says_what_to_do(tmp_path):
    missing = tmp_path / "no-such-folder" / "notes.md"

    output, _ = drive(f"/save\n/save {missing}\n/quit\n")

    assert "\n/save needs a file name, e.g. /save notes.md\n" in output
    assert (
        f"\nsummbot: {missing}: the folder {missing.parent} does not exist; create it or choose "
        "another path.\n" in output
    )


def test_summary_and_points_come_from_the_summariser():
    article = museum()
    expected = summarize(article, ExtractiveEngine())

    output, _ = drive("/summary\n/points\n/quit\n", article=article)

    assert f"\nSummary\n{expected.summary}\n" in output
    points = "\n".join(
        f"{n}. {p.text} [{', '.join(p.sentences)}]" for n, p in enumerate(expected.key_points, start=1)
    )
    assert f"\nKey points\n{points}\n" in output


def test_a_trailing_backslash_continues_the_question_on_the_next_line():
    engine = FakeEngine().enqueue(grounded("Santos.", ("S1", "its director Maria Santos")))

    drive("Who is the \\\ndirector?\n/quit\n", engine=engine)

    assert engine.history[0].task.question == "Who is the director?"


def test_a_pasted_question_over_several_lines_is_one_question():
    engine = FakeEngine().enqueue(grounded("Santos.", ("S1", "its director Maria Santos")))

    drive(f"{PASTE_START}Who is\nthe director?{PASTE_END}\n/quit\n", engine=engine)

    assert engine.history[0].task.question == "Who is the director?"


def test_ctrl_c_at_the_prompt_drops_the_line_and_keeps_the_session():
    output, _ = drive("half a question" + CTRL_C + "/help\n" + CTRL_D)

    assert HELP in output


def test_ctrl_c_during_an_answer_cancels_it_and_keeps_the_session():
    engine = BlockingEngine(on_request=_thread.interrupt_main)  # Ctrl-C while the model "thinks"
    engine.enqueue(
        grounded("14 million euros.", ("S2", "14 million euros")),
        grounded("Too late.", ("S1", "will reopen on June 3")),  # the abandoned request's, at last
    )

    output, repl = drive("When does it reopen?\nWhat did the work cost?\n/quit\n", engine=engine)
    engine.release.set()
    assert engine.finished.wait(5)

    assert "\n(cancelled)\n" in output
    assert "\nToo late." not in output
    assert output.endswith("14 million euros.\n\nEvidence\n  [S2] “14 million euros”\n\n")
    assert [t.answer.question for t in repl.conversation.turns] == ["What did the work cost?"]


def test_ctrl_d_leaves_without_reading_further():
    engine = FakeEngine()

    output, _ = drive(CTRL_D + "When does it reopen?\n", engine=engine)

    assert engine.history == []
    assert output == FAKE_BANNER + "\n"


def test_an_engine_error_is_shown_and_the_session_goes_on():
    engine = FakeEngine().enqueue(
        EngineTimeout("the model did not answer within 60 s; try again or raise --timeout."),
        grounded("June 3.", ("S1", "will reopen on June 3")),
    )

    output, _ = drive("When does it reopen?\nWhen does it reopen?\n/quit\n", engine=engine)

    assert "\nsummbot: the model did not answer within 60 s; try again or raise --timeout.\n" in output
    assert output.endswith("June 3.\n\nEvidence\n  [S1] “will reopen on June 3”\n\n")


def test_a_streamed_answer_is_shown_once_then_its_evidence():
    engine = FakeEngine().enqueue(grounded("It reopens on June 3, Santos said.", ("S1", "will reopen on June 3")))

    output, _ = drive("When does it reopen?\n/quit\n", engine=engine)

    assert output == FAKE_BANNER + "\n\nIt reopens on June 3, Santos said.\n\nEvidence\n  [S1] “will reopen on June 3”\n\n"


def test_a_withdrawn_streamed_answer_is_marked_before_the_refusal():
    engine = FakeEngine().enqueue(grounded("It has 40 rooms.", ("S2", "forty rooms")))

    output, _ = drive("How many rooms are there?\n/quit\n", engine=engine)

    assert "\nIt has 40 rooms.\n\n(withdrawn: not backed by the article)\nThe article does not say.\n" in output
    assert "Warning: The engine's answer was withdrawn: none of its evidence checks out against the article." in output


def test_history_path_defaults_to_the_user_data_folder(monkeypatch):
    monkeypatch.delenv("SUMMBOT_DATA_DIR")
    from platformdirs import user_data_dir

    assert history_path() == Path(user_data_dir("summbot")) / "history"


def test_long_lines_are_wrapped_at_word_boundaries_to_the_terminal_width():
    output, _ = drive("How many visitors did the museum draw in 2022?\n/quit\n", width=40)

    assert max(len(line) for line in output.splitlines()) <= 40
    assert "  [S6] “Councillor Tom Hale said the\n    museum drew 210,000 visitors in\n    2022.”\n" in output


def test_an_engine_error_in_the_session_never_shows_a_key_in_the_base_url():
    from summbot.errors import EngineUnreachable

    failing = EngineUnreachable("Cannot reach the server at https://me:sk-SECRET@llm.example.com/v1; check it.")
    output, _ = drive("When does it reopen?\n/summary\n/quit\n", engine=FakeEngine().enqueue(failing, failing))
    assert "SECRET" not in output
    assert output.count("summbot: Cannot reach the server at https://***@llm.example.com/v1; check it.") == 2
