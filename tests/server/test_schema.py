"""Schemathesis against the server's own OpenAPI schema: requests generated from it, valid
and invalid, signed in as a real user over real HTTP. No 5xx, invalid input refused with
a 4xx, and every answer matches the schema.

(Schemathesis's pytest plugin reads a private attribute pytest 9 no longer has, so the
strategies are driven with Hypothesis directly; the checks are Schemathesis's own.)

A body over the server's 1 MiB limit is refused with 413 before it is parsed: that is a
rejection too, so 413 joins the statuses Schemathesis expects for invalid data.

One check is left out: "schema-valid data is accepted". OS1 answers a few requests the
schema cannot rule out with a 400 and a one-line reason, as OpenAI's API does: a
conversation that does not end with a user turn, a message of nothing but spaces.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.config import ChecksConfig

from .conftest import Running, Users

# Schemathesis's own defaults for "invalid data is rejected".
_REJECTIONS = [400, 401, 403, 404, 405, 406, 409, 415, 422, 428, 429, "5xx"]


@pytest.mark.parametrize(
    "mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)
def test_the_api_keeps_its_own_schema(
    running: Running, users: Users, mode: schemathesis.GenerationMode
) -> None:
    running.mind.replies = []
    schema = schemathesis.openapi.from_url(running.url + "/openapi.json")
    # The token is sent by hand, so generating (or leaving out) the security header is
    # not part of a case; unknown query parameters are ignored, as most APIs do.
    schema.config.generation.update(with_security_parameters=False, allow_extra_parameters=False)
    schema.config.checks = ChecksConfig.from_dict(
        {"negative_data_rejection": {"expected-statuses": [*_REJECTIONS, 413]}}
    )
    headers = {"Authorization": f"Bearer {users.theo}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 13

    @given(case=schema.as_strategy(generation_mode=mode))
    @settings(
        max_examples=120,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case: Any) -> None:
        case.call_and_validate(
            headers=headers, excluded_checks=[schemathesis.checks.positive_data_acceptance]
        )

    check()
    with running.client() as anyone:
        assert anyone.get("/health").json()["status"] == "ok"
