"""A headless Streamlit client: Streamlit's own websocket protocol, no browser.

One `StreamlitClient` is one browser tab's session on a running `streamlit run`
server: it asks for script runs (a page, a query string, widget values), the
way the frontend does with a `BackMsg.rerun_script`, and collects the
`ForwardMsg`s of the run into a `View` until the run's `script_finished`.
It renders nothing and runs no custom components (the login cookie's
component iframe never mounts), so it measures the server, not a browser.

The protobuf messages are the installed streamlit's (`streamlit.proto`).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import websockets
from google.protobuf.message import Message
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

# Runs that end like this are followed by another run of the same request (st.rerun).
_RERUN = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
_FINISHED_NAMES = {value: name for name, value in ForwardMsg.ScriptFinishedStatus.items()}
SIDEBAR = 1  # delta_path[0]: 0 is the main area, 1 the sidebar


@dataclass
class Widget:
    """A widget as the last run rendered it: its element type and proto."""

    kind: str
    proto: Any

    @property
    def id(self) -> str:
        return self.proto.id

    def shown_options(self) -> list[str]:
        """Selected option labels (selectbox, multiselect) as the server chose them."""
        options = list(self.proto.options)
        if self.kind == "multiselect":
            if self.proto.set_value:
                return list(self.proto.raw_values)
            return [options[i] for i in self.proto.default]
        if self.proto.set_value and self.proto.HasField("raw_value"):
            return [self.proto.raw_value]
        return [options[self.proto.default]] if self.proto.HasField("default") else []


@dataclass
class View:
    """What one request produced: every run up to the finished one."""

    elapsed_s: float = 0.0
    finished: str = ""
    query_string: str | None = None
    nav_titles: list[str] = field(default_factory=list)
    page_not_found: bool = False
    texts: list[str] = field(default_factory=list)  # every string of every element
    sidebar_captions: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (ERROR/WARNING/..., body)
    exceptions: list[str] = field(default_factory=list)
    widgets: dict[str, Widget] = field(default_factory=dict)  # by user key (or id when keyless)
    buttons: list[Widget] = field(default_factory=list)
    bytes_received: int = 0

    def widget(self, key: str) -> Widget:
        return self.widgets[key]


def strings_of(message: Message) -> list[str]:
    """Every string field in a proto message, recursively (bytes such as Arrow tables are skipped)."""
    found: list[str] = []
    for descriptor, value in message.ListFields():
        if descriptor.type == descriptor.TYPE_STRING:
            found.extend(value if descriptor.is_repeated else [value])
        elif descriptor.type == descriptor.TYPE_MESSAGE:
            for item in value if descriptor.is_repeated else [value]:
                found.extend(strings_of(item))
    return found


def _user_key(element_id: str) -> str:
    # Keyed widgets have ids "$$ID-<hash>-<key>"; keyless ones end in "-None".
    key = element_id.split("-", 2)[-1] if element_id.startswith("$$ID-") else ""
    return element_id if key in ("", "None") else key


class StreamlitClient:
    """One session on the server at `base_url` (http://host:port)."""

    def __init__(self, base_url: str, timeout_s: float = 120.0) -> None:
        self.url = base_url.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
        self.timeout_s = timeout_s
        self._socket: Any = None
        self._values: dict[str, WidgetState] = {}  # widget id -> the value this user gave it
        self.address = ""  # the query string in the browser's address bar

    async def __aenter__(self) -> StreamlitClient:
        self._socket = await websockets.connect(
            self.url, subprotocols=["streamlit"], max_size=None, open_timeout=self.timeout_s, compression=None
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._socket.close()

    async def request(
        self, page: str = "", query: str | None = "", widgets: dict[str, Any] | None = None, rendered: View | None = None
    ) -> View:
        """Ask for a run of `page` (a url path, "" for the default page) with `query`
        (None: the address as the last run left it, as a click on the same page sends),
        setting `widgets` (user key of a widget in `rendered`, or a widget id -> value;
        True clicks a button), and resending the values set earlier, as the browser
        does; returns the View once the run has finished."""
        for key, value in (widgets or {}).items():
            target = rendered.widgets.get(key) if rendered else None
            widget_id = target.id if target else key
            self._values[widget_id] = _widget_state(widget_id, value)
        state = ClientState(query_string=self.address if query is None else query, page_name=page)
        state.widget_states.widgets.extend(self._values.values())
        # Like the browser: a value stays set while its widget is on the page;
        # a button's trigger is sent once.
        self._values = {i: v for i, v in self._values.items() if v.WhichOneof("value") != "trigger_value"}
        start = time.perf_counter()
        await self._socket.send(BackMsg(rerun_script=state).SerializeToString())
        view = View()
        async with asyncio.timeout(self.timeout_s):
            while True:
                data = await self._socket.recv()
                view.bytes_received += len(data)
                msg = ForwardMsg()
                msg.ParseFromString(data)
                kind = msg.WhichOneof("type")
                if kind == "script_finished":
                    if msg.script_finished == _RERUN:
                        # The next run redraws the page: keep only what outlives a run.
                        view = View(
                            query_string=view.query_string,
                            nav_titles=view.nav_titles,
                            page_not_found=view.page_not_found,
                            bytes_received=view.bytes_received,
                        )
                        continue
                    view.finished = _FINISHED_NAMES[msg.script_finished]
                    view.elapsed_s = time.perf_counter() - start
                    self.address = state.query_string if view.query_string is None else view.query_string
                    rendered_ids = {widget.id for widget in view.widgets.values()}
                    self._values = {i: v for i, v in self._values.items() if i in rendered_ids}
                    return view
                _collect(view, msg, kind)


def _widget_state(widget_id: str, value: Any) -> WidgetState:
    state = WidgetState(id=widget_id)
    if value is True:
        state.trigger_value = True
    elif isinstance(value, str):
        state.string_value = value
    elif isinstance(value, float | int):
        state.double_value = float(value)
    elif isinstance(value, list):
        state.string_array_value.data.extend(value)
    else:
        raise TypeError(f"no widget state for {value!r}")
    return state


def _collect(view: View, msg: ForwardMsg, kind: str | None) -> None:
    if kind == "page_info_changed":
        view.query_string = msg.page_info_changed.query_string
    elif kind == "navigation":
        view.nav_titles = [page.page_name for page in msg.navigation.app_pages]
    elif kind == "page_not_found":
        view.page_not_found = True
    elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
        element = msg.delta.new_element
        element_kind = element.WhichOneof("type")
        if element_kind is None:
            return
        proto = getattr(element, element_kind)
        texts = strings_of(proto)
        view.texts.extend(texts)
        if element_kind == "markdown" and msg.metadata.delta_path[:1] == [SIDEBAR]:
            view.sidebar_captions.append(proto.body)
        elif element_kind == "heading":
            view.headings.append(proto.body)
        elif element_kind == "alert":
            view.alerts.append((proto.Format.Name(proto.format), proto.body))
        elif element_kind == "exception":
            view.exceptions.append(f"{proto.type}: {proto.message}")
        if hasattr(proto, "id") and proto.id:
            widget = Widget(element_kind, proto)
            view.widgets[_user_key(proto.id)] = widget
            if element_kind == "button":
                view.buttons.append(widget)
