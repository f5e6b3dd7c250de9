"""The draft file's YAML: a header saying what the author must do, then each item under a
comment naming its source line, in the layout docs/content-format.md describes."""

import yaml

HEADER = """\
# Imported by `flask lms import-questions` from {source}.
# A draft: `flask lms check-content` checks it, learners never see it. For each item:
#   1. tag its dimension: knowledge or belief (it says `untagged`);
#   2. write the Persian (fa) and the idea where [[TODO ...]] stands;
#   3. move it into a quiz bank (quizzes/<topic>/<slug>.yaml) that draws it.
"""


def draft_yaml(draft_id, source, mapped):
    """The draft file's text for the Mapped items ``mapped``."""
    head = _dump({"id": draft_id, "kind": "draft", "source": source})
    parts = [HEADER.format(source=source), head, "items:\n"]
    for entry in mapped:
        parts.append(f"  # {source} line {entry.line}\n")
        parts.append("".join(f"  {line}".rstrip() + "\n" for line in _dump([entry.item]).splitlines()))
    return "".join(parts)


class _Dumper(yaml.SafeDumper):
    """Multi-line text as a literal block (``|``), as an author would write it."""


def _text(dumper, value):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def _dump(data):
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000,
                     default_flow_style=False)
