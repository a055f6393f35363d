"""Alerts printed to a terminal: what the demo shows as incidents fire and resolve."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Literal, TextIO

from pydantic import Field

from voc_stream.alerts import Alert
from voc_stream.notify.base import Notifier, ReceiverConfig
from voc_stream.notify.messages import AlertView

RESET = "\033[0m"
BOLD = "\033[1m"
DIM = "\033[2m"
COLOURS = {"critical": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;36m", "resolved": "\033[1;32m"}


class ConsoleReceiver(ReceiverConfig):
    type: Literal["console"]
    stream: Literal["stdout", "stderr"] = "stdout"
    colour: Literal["auto", "always", "never"] = Field("auto", description="auto: only on a TTY and without NO_COLOR")


class ConsoleNotifier(Notifier):
    """Writes the plain-text alert, coloured by severity when the stream is a terminal."""

    type = "console"
    config_model = ConsoleReceiver

    def __init__(self, name: str, stream: TextIO | None = None, colour: bool | None = None) -> None:
        super().__init__(name)
        self.stream = stream if stream is not None else sys.stdout
        if colour is None:
            colour = bool(getattr(self.stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ
        self.colour = colour

    @classmethod
    def from_config(cls, config: ConsoleReceiver, env: Mapping[str, str], timeout: float) -> ConsoleNotifier:
        stream = sys.stderr if config.stream == "stderr" else sys.stdout
        colour = {"auto": None, "always": True, "never": False}[config.colour]
        return cls(config.name, stream, colour)

    def render(self, alert: Alert) -> str:
        view = AlertView(alert)
        lines = view.text().splitlines()
        if self.colour:
            colour = COLOURS["resolved" if view.resolved else alert.severity]
            lines[0] = f"{colour}{lines[0]}{RESET}"
            lines = [lines[0]] + [
                f"{BOLD}{line[: line.index(':') + 1]}{RESET}{line[line.index(':') + 1 :]}"
                if ":" in line and not line.startswith("  ")
                else (f"{DIM}{line}{RESET}" if line.startswith("  ") else line)
                for line in lines[1:]
            ]
        rule = "─" * 60
        return f"{rule}\n" + "\n".join(lines) + "\n"

    async def send(self, alert: Alert) -> None:
        self.stream.write(self.render(alert))
        self.stream.flush()
