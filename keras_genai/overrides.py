"""`KEY=VALUE` overrides of model arguments (`keras-genai train --set`), in plain Python so
that the CLI reads them without loading TensorFlow."""

import json


def parse_setting(text):
    """`"KEY=VALUE"` -> `(key, value)`, the value read as JSON if it parses
    (`beta=4.0` -> 4.0, `widths=[8,16]` -> a list) and kept as text if not."""
    if "=" not in text:
        raise ValueError(f"expected KEY=VALUE, received {text!r}")
    key, value = text.split("=", 1)
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value
