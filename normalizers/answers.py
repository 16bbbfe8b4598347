"""A slow tool's answers by text, remembered: asked once per process, and kept by a batch.

Loading underthesea's tagger or spaCy takes longer than extracting dozens of plans, and the same few
texts (unknown agency mentions, sentences naming a body) come back from plan to plan. Each tool
that is worth remembering has one `Answers`: `get` / `put` in this process; `asked()` hands over
the answers asked for since it was last called (a document's), and `remember()` takes answers found
earlier. A batch keeps them in its output folder's catalogue (`collect` / `recall`), so a re-run of a
few changed plans loads neither tool when their texts were seen before. Answers belong to one
`model()` (the tool's version and whatever else decides them): another model's are never mixed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

_ALL: dict[str, "Answers"] = {}
MAX_ASKED = 10_000  # a document asks a few dozen; more means nobody hands them over


class Answers:
    def __init__(self, name: str, model: Callable[[], str]):
        self.name, self._model = name, model
        self.known: dict[str, str] = {}
        self._asked: dict[str, str] = {}
        self._model_name: str | None = None
        _ALL[name] = self

    def model(self) -> str:
        if self._model_name is None:
            self._model_name = self._model()
        return self._model_name

    def get(self, text: str) -> str | None:
        answer = self.known.get(text)
        if answer is not None:
            self._note(text, answer)
        return answer

    def put(self, text: str, answer: str) -> str:
        self.known[text] = answer
        self._note(text, answer)
        return answer

    def _note(self, text: str, answer: str) -> None:
        if len(self._asked) >= MAX_ASKED:  # nobody collects them (the library used outside a batch)
            self._asked.clear()
        self._asked[text] = answer

    def asked(self) -> dict[str, str]:
        """The answers asked for since the last call."""
        out = dict(self._asked)
        self._asked.clear()
        return out

    def remember(self, answers: Iterable[tuple[str, str]]) -> None:
        self.known.update(answers)


def collect() -> list[tuple[str, dict[str, str]]]:
    """(model, answers) of every tool asked something since the last call: one document's answers."""
    out = []
    for answers in _ALL.values():
        asked = answers.asked()
        if asked:
            out.append((answers.model(), asked))
    return out


def recall(kept: Callable[[str], Iterable[tuple[str, str]]]) -> None:
    """Answers found earlier, by model (`kept(model)` gives its (text, answer) pairs), for every tool."""
    for answers in _ALL.values():
        answers.remember(kept(answers.model()))
