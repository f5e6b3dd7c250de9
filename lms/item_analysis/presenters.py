"""Helpers the item analysis page uses."""


def is_key(item, option):
    """Whether ``option`` (an option id, or "true"/"false") is part of the item's key."""
    if item.type == "true_false":
        return option == str(item.answer).lower()
    return option in item.answer if isinstance(item.answer, frozenset) else option == item.answer


TEMPLATE_HELPERS = {"is_key": is_key}
