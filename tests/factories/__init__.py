"""Factories and helpers for every domain's models, one module per domain; import them from
here (``from tests.factories import DossierFactory, staff_user``)."""

from tests.factories.accounts import PASSWORD, UserFactory, citizen, grant, staff_user
from tests.factories.documents import Office, incoming, incoming_fields, office_world
from tests.factories.dossiers import IMPORT_SOURCE, DossierFactory, receiving_unit
from tests.factories.indicators import IndicatorFactory
from tests.factories.procedures import (
    PDF,
    ProcedureFactory,
    documents_for,
    form_for,
    pdf_upload,
    submission_post,
)
from tests.factories.programme import programme_document, programme_task, task_group
from tests.factories.scoring import PublishedResultFactory, published_field
from tests.factories.units import UnitFactory, home_unit

__all__ = [
    "IMPORT_SOURCE",
    "PASSWORD",
    "PDF",
    "DossierFactory",
    "IndicatorFactory",
    "Office",
    "ProcedureFactory",
    "PublishedResultFactory",
    "UnitFactory",
    "UserFactory",
    "citizen",
    "documents_for",
    "form_for",
    "grant",
    "home_unit",
    "incoming",
    "incoming_fields",
    "office_world",
    "pdf_upload",
    "programme_document",
    "programme_task",
    "published_field",
    "receiving_unit",
    "staff_user",
    "submission_post",
    "task_group",
]
