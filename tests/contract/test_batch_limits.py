"""The batch limits (service charter: 200 learners or verifications, 10,000 achievements)
are one rule: the domain's table, the schema's maxOccurs and the offline validator agree."""

import pytest
import xmlschema
from lrs_client.batchfiles import KINDS

from lrs_soap.domain.batches import MAX_RECORDS, JobKind
from tests.conftest import REPO

SCHEMA = xmlschema.XMLSchema(str(REPO / "xsd" / "lrs-native-v1.xsd"))
CASES = [(JobKind.LEARNER_REGISTRATION, "SubmitLearnerBatch", "Learner", "LRB"),
         (JobKind.VERIFICATION, "SubmitVerifyBatch", "Learner", "VLD"),
         (JobKind.ACHIEVEMENT, "SubmitAchievementBatch", "Achievement", "ACH")]


@pytest.mark.parametrize(("kind", "operation", "record", "file_kind"), CASES)
def test_the_limit_is_the_same_everywhere(kind, operation, record, file_kind):
    element = SCHEMA.elements[operation].type.content.iter_elements()
    occurs = {child.local_name: child.max_occurs for child in element}[record]
    # achievements: the schema takes any number, so that the service can answer WSEC0046
    assert occurs in (MAX_RECORDS[kind], None)
    assert KINDS[file_kind].limit == MAX_RECORDS[kind]
    if kind is not JobKind.ACHIEVEMENT:
        assert occurs == MAX_RECORDS[kind]
