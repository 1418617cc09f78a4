"""A respondent who clicks like a browser, over Streamlit's WebSocket: one rerun per answer.

Used by perf/bench_respondent.py and perf/load_server.py. A browser sends one rerun per click, carrying
the state of every widget on the page (and, for a widget inside an st.fragment, the fragment's id, so
only the fragment reruns); this client does the same: it opens the page, then answers the questionnaire's
radios one at a time in the order the page draws them (side, ten statements, the context questions, whose
expander it opens first, as they are drawn only when it is open), then clicks the submit button and waits
for the thanks. The radios are found by their place on the page (the
main area's radios, in document order; the sidebar's language switch is left alone), so the same client
drives the app and a bare form with the same radios.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

HOST = "127.0.0.1"
THANKS = "Thank you"
UNAVAILABLE = "cannot be reached"  # the app's "The database cannot be reached right now"
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


class DatabaseUnavailable(Exception):
    """The page showed its "database cannot be reached" message."""


@dataclass
class Widget:
    kind: str  # "radio", "button" or "expander" (one drawn only when opened: a widget whose value is open)
    id: str
    options: list[str]
    fragment_id: str
    path: tuple[int, ...]


@dataclass
class Clicks:
    """What one respondent cost the client's view: reruns sent, bytes received, seconds per step."""

    reruns: int = 0
    bytes: int = 0
    open_s: float = 0.0
    submit_s: float = 0.0
    timings: dict = field(default_factory=dict)


class Session:
    """One browser tab: reruns with every widget's state, reading what the page draws."""

    def __init__(self, ws, query: str, page_name: str, timeout: float) -> None:
        self.ws, self.query, self.page_name, self.timeout = ws, query, page_name, timeout
        self.widgets: dict[tuple[int, ...], Widget] = {}  # by place on the page
        self.chosen: dict[str, str] = {}  # widget id -> option label, as the browser keeps them
        self.opened: set[str] = set()  # the expanders opened (their widget ids), kept open as a browser does
        self.texts: list[str] = []
        self.clicks = Clicks()
        self._seen: set[tuple[int, ...]] = set()  # places drawn by the run under way
        self.page_hash = ""  # the page's script hash, from the server, sent back with every rerun as a browser does

    async def rerun(self, trigger: WidgetState | None = None, fragment_id: str = "") -> None:
        message = BackMsg()
        message.rerun_script.query_string = self.query
        message.rerun_script.page_name = self.page_name
        if self.page_hash:
            message.rerun_script.page_script_hash = self.page_hash
        if fragment_id:
            message.rerun_script.fragment_id = fragment_id
        live = {w.id for w in self.widgets.values()}
        states = [WidgetState(id=i, string_value=v) for i, v in self.chosen.items() if i in live]
        states += [WidgetState(id=i, bool_value=True) for i in self.opened if i in live]
        if trigger is not None:
            states.append(trigger)
        message.rerun_script.widget_states.widgets.extend(states)
        self.texts, self._seen = [], set()
        self.clicks.reruns += 1
        await self.ws.send(message.SerializeToString())

    async def until_finished(self, wanted=lambda session: True) -> None:
        """Read messages until a run (or a fragment's run) finishes and `wanted` holds (bounded)."""
        end = time.monotonic() + self.timeout
        while True:
            try:
                data = await asyncio.wait_for(self.ws.recv(), max(0.1, end - time.monotonic()))
            except TimeoutError:
                raise TimeoutError(f"no finished run; last texts: {self.texts[-2:]}") from None
            self.clicks.bytes += len(data)
            message = ForwardMsg()
            message.ParseFromString(data)
            kind = message.WhichOneof("type")
            if kind != "script_finished":
                self._take(kind, message)
            elif message.script_finished in FINISHED:
                if message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    self._drop_stale()
                if wanted(self):
                    return
                if any(UNAVAILABLE in t for t in self.texts):  # the page's answer: no point waiting on
                    raise DatabaseUnavailable("the page said the database cannot be reached")

    def _take(self, kind: str, message: ForwardMsg) -> None:
        """Keep what a browser keeps of a message of a run under way."""
        if kind == "new_session":
            self.texts = []
        elif kind == "page_info_changed":  # the page's address changed: a browser sends it from now on
            self.query = message.page_info_changed.query_string
        elif kind == "navigation":  # st.navigation names the page it ran
            self.page_hash = message.navigation.page_script_hash or self.page_hash
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            self._element(message)
        elif kind == "delta" and message.delta.WhichOneof("type") == "add_block":
            block, path = message.delta.add_block, tuple(message.metadata.delta_path)
            if block.WhichOneof("type") == "expandable" and block.expandable.id:
                self.widgets[path] = Widget("expander", block.expandable.id, [], message.delta.fragment_id, path)
                self._seen.add(path)

    def _element(self, message: ForwardMsg) -> None:
        element = message.delta.new_element
        name = element.WhichOneof("type")
        body = getattr(element, name)
        path = tuple(message.metadata.delta_path)
        if name in ("radio", "button"):
            options = list(body.options) if name == "radio" else []
            self.widgets[path] = Widget(name, body.id, options, message.delta.fragment_id, path)
            self._seen.add(path)
        else:
            self.widgets.pop(path, None)
        text = getattr(body, "body", "")
        if isinstance(text, str) and text:
            self.texts.append(text)

    def _drop_stale(self) -> None:
        """After a full run, widgets the run did not draw are gone (a browser clears stale elements)."""
        self.widgets = {p: w for p, w in self.widgets.items() if p in self._seen}

    def radios(self) -> list[Widget]:
        """The main area's radios in page order (the sidebar, delta path [1, ...], is not the form)."""
        return [w for p, w in sorted(self.widgets.items()) if w.kind == "radio" and p[0] == 0]

    def closed_expanders(self) -> list[Widget]:
        """The main area's expanders drawn only when opened, not opened yet, in page order."""
        return [
            w for p, w in sorted(self.widgets.items()) if w.kind == "expander" and p[0] == 0 and w.id not in self.opened
        ]

    def submit_button(self) -> Widget | None:
        buttons = [w for p, w in sorted(self.widgets.items()) if w.kind == "button" and p[0] == 0]
        return buttons[-1] if buttons else None


def _option(radio: Widget, n: int) -> str:
    return radio.options[0 if n == 0 else min(3, len(radio.options) - 1)]


async def respond(port: int, query: str, page_name: str, radios: int, timeout: float = 60.0, think=None) -> Clicks:
    """Open the page, answer `radios` radios one click at a time (the side first, option 0; the others
    option 3, "somewhat agree" on the statements), click the last button, wait for the thanks.

    `think`: an awaitable factory called before each click (reading time, not timed), or None."""
    async with websockets.connect(
        f"ws://{HOST}:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None, open_timeout=timeout
    ) as ws:
        session = Session(ws, query, page_name, timeout)
        start = time.monotonic()
        await session.rerun()
        # The side and the submit button: the statements are drawn once the side is chosen (its click, below).
        await session.until_finished(lambda s: len(s.radios()) >= 1 and s.submit_button() is not None)
        session.clicks.open_s = time.monotonic() - start
        for n in range(radios):
            if n == len(session.radios()):  # the rest is in an expander drawn when opened: one click opens it
                expander = session.closed_expanders()[0]
                if think is not None:
                    await think()
                session.opened.add(expander.id)
                await session.rerun(fragment_id=expander.fragment_id)
                await session.until_finished(lambda s, n=n: len(s.radios()) > n)
            radio = session.radios()[n]  # found again: choosing the side draws the statements before the rest
            if think is not None:
                await think()
            session.chosen[radio.id] = _option(radio, n)
            await session.rerun(fragment_id=radio.fragment_id)
            await session.until_finished()
            # A radio redrawn under another id (reworded) keeps its answer, as the browser's state does.
            for k, other in enumerate(session.radios()[: n + 1]):
                session.chosen.setdefault(other.id, _option(other, k))
        button = session.submit_button()
        if think is not None:
            await think()
        start = time.monotonic()
        await session.rerun(WidgetState(id=button.id, trigger_value=True), fragment_id=button.fragment_id)
        await session.until_finished(lambda s: any(THANKS in t for t in s.texts))
        session.clicks.submit_s = time.monotonic() - start
        return session.clicks
