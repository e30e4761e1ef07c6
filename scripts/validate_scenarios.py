# Validates scenario files against docs/scenario.schema.json (JSON Schema
# draft 2020-12). Needs python3 with the jsonschema and yaml modules
# (Debian: python3-jsonschema python3-yaml); tests skip when they are absent.
# usage: python3 scripts/validate_scenarios.py SCHEMA FILE...
import json, sys, yaml, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
bad = 0
for f in sys.argv[2:]:
    errs = list(v.iter_errors(yaml.safe_load(open(f))))
    for e in errs:
        print(f"{f}: {list(e.absolute_path)}: {e.message[:200]}")
    bad += bool(errs)
sys.exit(1 if bad else 0)
