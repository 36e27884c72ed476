"""botocore's client-side parameter validation, the check the AWS CLI and boto3 run before they
send a request: the ECR service model's input shapes and botocore.validate.ParamValidator.
It checks JSON types, required members, unknown members and minimums; it does not check
patterns, maximums or enums. Needs Debian's python3-botocore (run with /usr/bin/python3)."""
import json
import os

import botocore.session
from botocore.validate import ParamValidator

_model = botocore.session.get_session().get_service_model("ecr")
SHAPES = {op: _model.operation_model(op).input_shape for op in ("BatchGetImage", "DescribeImages")}
VALIDATOR = ParamValidator()


def operation_of(path):
    """The operation from the file name, as ecrlint breaks ties and teams name fixtures."""
    base = os.path.basename(path).lower()
    if "describe-images" in base:
        return "DescribeImages"
    if "batch-get-image" in base:
        return "BatchGetImage"
    return None


def is_valid(path):
    """True when botocore would send the request in `path`."""
    try:
        with open(path, encoding="utf-8") as f:
            params = json.load(f)
    except (OSError, ValueError):
        return False
    op = operation_of(path)
    if op is None or not isinstance(params, dict):
        return False
    return not VALIDATOR.validate(params, SHAPES[op]).has_errors()
