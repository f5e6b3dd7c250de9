"""YAML reading that remembers line numbers, so errors can point at them.

Only PyYAML's SafeLoader is used: content files can never construct Python objects."""

import yaml


class Node(dict):
    """A YAML mapping that knows the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key):
        """Line of ``key`` if present, else the mapping's own line."""
        return self.key_lines.get(key, self.line)


class DuplicateKey(yaml.MarkedYAMLError):
    """The same key twice in one mapping: PyYAML would silently keep the last one."""


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise DuplicateKey(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen[key] = key_node.start_mark.line + 1
    mapping = Node(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = seen
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text, line_offset=0):
    """Parse ``text`` safely; mappings come back as :class:`Node` with line numbers.

    ``line_offset`` shifts every line, for YAML embedded in a larger file (front matter).
    """
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    if line_offset:
        _shift(data, line_offset)
    return data


def _shift(data, offset):
    if isinstance(data, Node):
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        for value in data.values():
            _shift(value, offset)
    elif isinstance(data, list):
        for value in data:
            _shift(value, offset)
