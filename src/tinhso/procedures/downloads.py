"""A dossier's file as a download, for the desk and the applicant's pages alike (each checks
first that the user may see the dossier)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from tinhso.core.http import file_attachment
from tinhso.procedures.models import Dossier
from tinhso.procedures.selectors import dossier_file


def file_of(dossier: Dossier, pk: int) -> FileResponse:
    row = dossier_file(dossier, pk)
    if row is None:
        raise Http404(_("There is no such file."))
    return file_attachment(row.file, row.name, row.content_type)
