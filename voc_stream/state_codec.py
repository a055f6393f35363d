"""The codec of the detector-state changelog: pickle, but loading only our own state classes.

Plain pickle would run whatever a message on the changelog topic told it to; this
unpickler refuses any class outside ``voc_stream`` and a few harmless builtins.
"""

from __future__ import annotations

import io
import pickle
from typing import Any

from faust.serializers import codecs

CODEC_NAME = "voc-state"
_ALLOWED_BUILTINS = {("collections", "deque"), ("builtins", "set"), ("builtins", "frozenset")}


class _StateUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module.startswith("voc_stream.") or (module, name) in _ALLOWED_BUILTINS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from the state changelog")


def dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def loads(data: bytes) -> Any:
    return _StateUnpickler(io.BytesIO(data)).load()


class StateCodec(codecs.Codec):
    def _dumps(self, obj: Any) -> bytes:
        return dumps(obj)

    def _loads(self, s: bytes) -> Any:
        return loads(s)


def register() -> str:
    """Make the codec known to Faust (idempotent); returns its name."""
    codecs.register(CODEC_NAME, StateCodec())
    return CODEC_NAME
