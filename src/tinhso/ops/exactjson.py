"""Django's JSON serialisation, but with times to the microsecond: ``DjangoJSONEncoder`` cuts
datetimes and times to the millisecond, so a backup written with it would not give back the
timestamps it was made from. Registered as the format ``exactjson`` by ``register()``; read by
Django's JSON deserialiser, which parses the microseconds."""

from __future__ import annotations

import datetime
from typing import Any

from django.core import serializers
from django.core.serializers.json import Deserializer as JSONDeserializer
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

FORMAT = "exactjson"


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self) -> None:
        super()._init_options()  # type: ignore[misc]
        self.json_kwargs["cls"] = ExactEncoder


Deserializer = JSONDeserializer


def register() -> None:
    if FORMAT not in serializers.get_public_serializer_formats():
        serializers.register_serializer(FORMAT, "tinhso.ops.exactjson")
