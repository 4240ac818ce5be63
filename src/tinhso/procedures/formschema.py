"""A procedure's form, declared as data, and the check of what an applicant filled in.
Pure Python.

A schema is a list of fields: ``{"name", "label", "type", "required", "choices",
"max_length", "help"}``; types: text, textarea, date (DD/MM/YYYY or YYYY-MM-DD), number,
email, phone, select. ``clean`` returns the cleaned values and, for each bad field, what is wrong.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from tinhso.core.numbers import format_number

TYPES = {"text", "textarea", "date", "number", "email", "phone", "select"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^(\+84|0)\d{9,10}$")


class SchemaError(ValueError):
    pass


def check_schema(schema: Any) -> None:
    """Raise SchemaError when a declared form is not well formed (checked when loading)."""
    if not isinstance(schema, list):
        raise SchemaError("a form is a list of fields")
    seen: set[str] = set()
    for position, field in enumerate(schema, start=1):
        name = field.get("name") if isinstance(field, dict) else None
        if not name or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise SchemaError(f"field {position}: a name of lowercase letters, digits and _")
        if name in seen:
            raise SchemaError(f"field {name}: declared twice")
        seen.add(name)
        if field.get("type", "text") not in TYPES:
            raise SchemaError(f"field {name}: unknown type {field.get('type')!r}")
        if field.get("type") == "select" and not field.get("choices"):
            raise SchemaError(f"field {name}: a select needs choices")
        if not field.get("label"):
            raise SchemaError(f"field {name}: a label is needed")


def normalise_phone(raw: str) -> str:
    return re.sub(r"[\s.\-()]", "", raw or "")


def is_phone(raw: str) -> bool:
    """A Vietnamese phone number, once spaces, dots, dashes and brackets are taken out."""
    return bool(_PHONE.match(normalise_phone(raw)))


def is_email(raw: str) -> bool:
    return bool(_EMAIL.match(raw or ""))


def parse_date(raw: str) -> date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(raw)


def _(message: str) -> str:
    """Marks a message for translation; the caller translates it (no Django here)."""
    return message


Problem = tuple[str, dict[str, Any]]  # (message to translate, its parameters)


def clean(schema: list[dict[str, Any]], data: dict[str, Any]
          ) -> tuple[dict[str, Any], dict[str, Problem]]:
    """(cleaned values, problems by field name)."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, Problem] = {}
    for field in schema:
        name, kind = field["name"], field.get("type", "text")
        raw = data.get(name)
        text = "" if raw is None else str(raw).strip()
        if not text:
            if field.get("required"):
                errors[name] = (_("This field is required."), {})
            continue
        max_length = field.get("max_length", 1000 if kind == "textarea" else 200)
        if len(text) > max_length:
            errors[name] = (_("At most %(n)d characters."), {"n": max_length})
            continue
        if kind == "date":
            try:
                cleaned[name] = parse_date(text).isoformat()
            except ValueError:
                errors[name] = (_("Give a date as DD/MM/YYYY."), {})
        elif kind == "number":
            try:
                cleaned[name] = str(Decimal(text.replace(",", ".")))
            except InvalidOperation:
                errors[name] = (_("Give a number."), {})
        elif kind == "email":
            if _EMAIL.match(text):
                cleaned[name] = text
            else:
                errors[name] = (_("Give a valid e-mail address."), {})
        elif kind == "phone":
            phone = normalise_phone(text)
            if _PHONE.match(phone):
                cleaned[name] = phone
            else:
                errors[name] = (_("Give a Vietnamese phone number (10 digits, starting "
                                  "with 0)."), {})
        elif kind == "select":
            values = [c[0] if isinstance(c, list | tuple) else c for c in field["choices"]]
            if text in values:
                cleaned[name] = text
            else:
                errors[name] = (_("Choose one of the options."), {})
        else:
            cleaned[name] = text
    return cleaned, errors


# --- reading a declared form: the one interpretation the desk, the portal and the API use ----


def choices(field: dict[str, Any]) -> list[tuple[str, str]]:
    """A select's (value, label) pairs; a bare value is its own label."""
    return [(str(c[0]), str(c[1])) if isinstance(c, list | tuple) else (str(c), str(c))
            for c in field.get("choices") or []]


def max_length(field: dict[str, Any]) -> int:
    return int(field.get("max_length", 1000 if field.get("type") == "textarea" else 200))


def field_spec(field: dict[str, Any]) -> dict[str, Any]:
    """A declared field with every key filled in (the API's and the pages' view of it)."""
    return {"name": field["name"], "label": field.get("label", field["name"]),
            "type": field.get("type", "text"), "required": bool(field.get("required", False)),
            "max_length": max_length(field), "choices": choices(field),
            "help": field.get("help", "")}


def shown(field: dict[str, Any] | None, value: Any, lang: str = "vi") -> str:
    """An answer as people read it: dates DD/MM/YYYY, a choice by its label, numbers grouped
    as ``lang`` writes them."""
    text = "" if value is None else str(value)
    kind = (field or {}).get("type", "text")
    if kind == "date":
        try:
            return f"{parse_date(text):%d/%m/%Y}"
        except ValueError:
            return text
    if kind == "number":
        try:
            amount = Decimal(text)
        except InvalidOperation:
            return text
        exponent = amount.as_tuple().exponent
        decimals = max(0, -exponent) if isinstance(exponent, int) else 0
        return format_number(amount, decimals, lang)
    if kind == "select" and field is not None:
        return dict(choices(field)).get(text, text)
    return text


def answers(schema: list[dict[str, Any]], data: dict[str, Any], lang: str = "vi"
            ) -> list[tuple[str, str]]:
    """The answers under the form's labels, in its order, then any answer it no longer
    declares under its own name."""
    fields = {f["name"]: f for f in schema}
    order = [name for name in fields if name in data] + [n for n in data if n not in fields]
    return [(fields[n]["label"] if n in fields else n, shown(fields.get(n), data[n], lang))
            for n in order]
