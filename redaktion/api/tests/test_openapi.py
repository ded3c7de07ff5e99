"""The OpenAPI document at its stable URL: valid OpenAPI 3.1 (checked by
openapi-spec-validator against the specification's own schema), every path documented with
its answers, every reference resolvable, operation ids unique."""

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/articles/",
    "/api/v1/articles/{article_id}/",
    "/api/v1/articles/{article_id}/related/",
    "/api/v1/ressorts/",
    "/api/v1/topics/",
    "/api/v1/authors/",
    "/api/v1/search/",
    "/api/v1/most-read/",
    "/api/v1/liveticker/{ticker_id}/entries/",
}


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def resolve(document, ref: str):
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def test_the_schema_validates(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document, cls=OpenAPIV31SpecValidator)
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] and document["info"]["version"] == "1"
    assert set(document["paths"]) == PATHS
    operation_ids = []
    for path, item in document["paths"].items():
        assert set(item) == {"get"}, path  # read-only
        operation = item["get"]
        operation_ids.append(operation["operationId"])
        assert "200" in operation["responses"], path
        for status, answer in operation["responses"].items():
            assert status.isdigit() and answer["description"]
            assert "application/json" in answer["content"]
        for parameter in operation.get("parameters", []):
            assert parameter["in"] in {"query", "path"} and "schema" in parameter
            if parameter["in"] == "path":
                assert parameter["required"] and "{" + parameter["name"] + "}" in path
    assert len(operation_ids) == len(set(operation_ids))
    for ref in set(refs(document)):
        assert isinstance(resolve(document, ref), dict), ref
    detail = document["components"]["schemas"]["ArticleDetail"]
    assert {"body", "body_html", "title", "url"} <= set(detail["properties"])


def test_the_validator_refuses_a_broken_schema(client):
    """The check above can fail: a parameter that does not say where it goes is not
    OpenAPI."""
    document = client.get("/api/v1/openapi.json").json()
    document["paths"]["/api/v1/ressorts/"]["get"]["parameters"] = [{"name": "x"}]
    with pytest.raises(OpenAPIValidationError):
        validate(document, cls=OpenAPIV31SpecValidator)
