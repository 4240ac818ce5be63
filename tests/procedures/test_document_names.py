"""A document whose name is empty, dots or spaces, or holds a slash or a NUL, is a field error
(JSON in the API, on the form in the portal), never an HTML 400 from the storage (the API
answered "", ".", ".." and " " with the error page of a SuspiciousFileOperation)."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest

from tests.factories import PDF, submission_post
from tests.procedures.test_dossier_api import BIRTH, bearer, body, post
from tinhso.procedures.models import Dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages", "media_in_tmp")]

EMPTY_NAMES = ["", ".", "..", " ", "...", ". .", " . ", "\t", "/", "./..", "\\"]


def test_the_api_answers_a_json_field_error_naming_the_document(client, catalogue,
                                                                 applicant_user):
    token = bearer(applicant_user)
    for name in EMPTY_NAMES:
        data = body(catalogue[BIRTH])
        data["documents"]["giay_chung_sinh"]["name"] = name
        response = post(client, "/api/v1/dossiers/", data, token)
        assert response.status_code in (400, 422), (repr(name), response.content[:200])
        assert response["Content-Type"] == "application/json; charset=utf-8", repr(name)
        fields = [e["field"] for e in response.json()["errors"]]
        assert any(f.startswith("documents.giay_chung_sinh") for f in fields), (name, fields)
    data = body(catalogue[BIRTH])
    data["documents"]["to_khai"]["name"] = "a\x00.pdf"
    response = post(client, "/api/v1/dossiers/", data, token)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "documents.to_khai.name"
    assert not Dossier.objects.exists()
    # A name with a path in it keeps only its last part; the dossier is received.
    data = body(catalogue[BIRTH])
    data["documents"]["to_khai"] = {"name": "../../to khai.pdf",
                                    "content_base64": base64.b64encode(PDF).decode()}
    assert post(client, "/api/v1/dossiers/", data, token).status_code == 201


def test_the_portal_shows_a_form_error_for_a_file_without_a_name(client, catalogue,
                                                                  applicant_user,
                                                                  reference_units):
    procedure = catalogue[BIRTH]
    client.force_login(applicant_user)
    for name in EMPTY_NAMES:
        upload: Any = io.BytesIO(PDF)
        upload.name = name
        data = submission_post(procedure, reference_units["22366"],
                               **{"doc.giay_chung_sinh": upload})
        response = client.post(f"/dossiers/submit/{procedure.code}/", data)
        assert response.status_code == 200, (repr(name), response.status_code)
        assert "giay_chung_sinh" in str(response.context["errors"]), repr(name)
    assert not Dossier.objects.exists()
