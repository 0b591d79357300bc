#!/usr/bin/env python3
"""Validates every example scenario against docs/scenario.schema.json with a real JSON Schema validator
(python3-jsonschema), checks that each names the schema in its yaml-language-server line, and that files with
known mistakes fail. Usage: tools/check-schema.py [SOURCE-FOLDER]"""
import json
import pathlib
import re
import sys

import jsonschema
import yaml

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent.parent)
schema_file = root / "docs" / "scenario.schema.json"
schema = json.loads(schema_file.read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)


class Yaml12Loader(yaml.SafeLoader):
    """Reads numbers as YAML 1.2 and yaml-cpp do: 1e-3 is a number (PyYAML's YAML 1.1 reads it as text)."""


Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$"),
    list("-+0123456789."))


def is_scenario(document):
    return isinstance(document, dict) and "cluster" in document and "workload" in document


def errors_of(path):
    document = yaml.load(path.read_text(), Loader=Yaml12Loader)
    return [f"{'.'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in validator.iter_errors(document)]


failures = []
examples = sorted(p for folder in ("scenarios", "docs/examples") for p in (root / folder).rglob("*.yaml")
                  if is_scenario(yaml.load(p.read_text(), Loader=Yaml12Loader)))
for path in examples:
    relative = path.relative_to(root)
    expected_line = f"# yaml-language-server: $schema={pathlib.Path('../' * (len(relative.parts) - 1))}" \
                    "/docs/scenario.schema.json"
    if expected_line not in path.read_text().splitlines():
        failures.append(f"{relative}: no line \"{expected_line}\"")
    failures += [f"{relative}: {error}" for error in errors_of(path)]
# Mistakes the schema must catch: a misspelt key, a unit that does not exist, a value outside its choices.
for name, mistake in (("broken.yaml", "batch_per_devic"), ("schema-bad-unit.yaml", "does not match"),
                      ("schema-bad-choice.yaml", "is not one of")):
    found = errors_of(root / "tests" / "data" / name)
    if not any(mistake in error for error in found):
        failures.append(f"tests/data/{name}: expected an error mentioning {mistake!r}, found {found}")
for failure in failures:
    print(f"check-schema: {failure}", file=sys.stderr)
print(f"check-schema: {len(examples)} example scenarios checked against {schema_file.relative_to(root)}, "
      f"{len(failures)} problems")
sys.exit(1 if failures else 0)
