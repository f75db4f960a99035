"""The OpenAPI document validates, the docs page works offline, and a property-based run
(schemathesis, in-process over WSGI, with a reader's token) finds no server error and no
answer that breaks the document, on the stored test data.

Bounded: a few examples per operation (``max_examples``), no deadline; the whole module stays
well under 40 s on two cores.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import schemathesis
from api_support import make_user
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_data")]

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]


def test_openapi_document_validates(client: Client) -> None:
    from openapi_spec_validator import validate

    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["info"]["title"] == "wijkbeeld API"
    schemes = document["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    for path, item in document["paths"].items():
        for method, op in item.items():
            assert {"401", "403", "422", "500"} <= set(op["responses"]), (method, path)
            assert op["security"], (method, path)


def test_docs_page_needs_no_internet(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/static/") for u in urls), urls
    assert '"validatorUrl": null' in html
    from django.contrib.staticfiles import finders

    for url in urls:
        assert finders.find(url.removeprefix("/static/")), url


@pytest.fixture
def token_headers(db: Any) -> dict[str, str]:
    from wijkbeeld.web.api.tokens import create_token

    make_user("fuzzer", "analyst", "GM0363")
    _row, token = create_token("fuzzer")
    return {"Authorization": f"Bearer {token}"}


def _load_schema() -> Any:
    """The app's own document, fetched in-process over WSGI (no network, no database)."""
    from schemathesis.config import SchemathesisConfig

    from wijkbeeld.web.wsgi import application

    # Examples and fuzzing only: the coverage phase alone sends ~800 requests (too slow here).
    config = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
    return schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=config)


schema = _load_schema()


@schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_property_based_run_finds_no_server_error(case: Any,
                                                  token_headers: dict[str, str]) -> None:
    case.call_and_validate(headers=token_headers, checks=CHECKS)
