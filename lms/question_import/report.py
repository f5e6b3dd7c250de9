"""What an import did, as the lines the CLI prints: what was taken over, what was not (with
its source line and why), and the prompt to tag each imported item."""

from dataclasses import dataclass, field


@dataclass
class ImportReport:
    source: str
    target: str = ""
    mapped: list = field(default_factory=list)  # mapping.Mapped
    skipped: list = field(default_factory=list)  # mapping.Skipped

    @property
    def total(self):
        return len(self.mapped) + len(self.skipped)

    def lines(self):
        out = [f"{self.source}: {len(self.mapped)} of {self.total} question(s) imported"
               + (f" into {self.target} (a draft: never asked until its items are moved into a quiz)"
                  if self.target else "")]
        if self.skipped:
            out.append("Not taken over:")
            out += [f"  line {s.line}{_name(s.name)}: {s.reason}" for s in self.skipped]
        changed = [m for m in self.mapped if m.notes]
        if changed:
            out.append("Taken over with changes:")
            out += [f"  line {m.line} ({m.item['id']}): {note}" for m in changed for note in m.notes]
        if self.mapped:
            out.append("To do for each item before it can be asked: tag its dimension (knowledge or belief; "
                       "dimension: untagged now), write its Persian and its idea where [[TODO ...]] stands, "
                       "then move it into a quiz bank (docs/content-format.md):")
            out += [f"  {m.item['id']} (line {m.line}, {m.item['topic']}, {m.item['type']}): "
                    f"{_first_line(m.item['text']['en'])}" for m in self.mapped]
        return out


def _name(name):
    return f' "{name}"' if name else ""


def _first_line(text, width=70):
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"
