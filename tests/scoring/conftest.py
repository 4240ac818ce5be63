"""The dossier fixtures, for the Decision 766 index computed from dossiers."""

from tests.procedures.conftest import (  # noqa: F401
    applicant_user,
    catalogue,
    desk,
    media_in_tmp,
    submit,
)
