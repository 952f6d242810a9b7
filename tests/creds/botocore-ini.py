"""botocore-ini.py FILE...: each FILE, one line each, as botocore 1.43's configloader returns it,
{"raw": raw_config_parse(FILE), "map": build_profile_map(raw)} as sorted
JSON (json.dumps defaults), or "error" when botocore refuses the file.  The referee of
unit-ini's dump mode (tests/cli/ini-botocore.t)."""
import json
import sys

from botocore import configloader, exceptions

for path in sys.argv[1:]:
    try:
        raw = configloader.raw_config_parse(path)
    except (exceptions.ConfigParseError, exceptions.ConfigNotFound):
        print("error")
        continue
    doc = {"raw": raw, "map": configloader.build_profile_map(raw)}
    print(json.dumps(doc, sort_keys=True))
