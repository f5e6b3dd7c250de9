"""Reading a quiz page as a load test's agent does: its CSRF token, and an answer for every item
(the first option shown, or a few words). Shared by bench/locustfile.py and bench/load.py's
warm-up; no gevent here, so load.py can import it."""

import re

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
CHOICE = re.compile(r'<input[^>]*type="(?:radio|checkbox)"[^>]*>')
NAME = re.compile(r'name="(item-[^"]+)"')
VALUE = re.compile(r'value="([^"]*)"')
TEXT = re.compile(r'<input type="text"[^>]*name="(item-[^"]+)"')


def csrf_token(html):
    found = TOKEN.search(html)
    return found.group(1) if found else None


def answer_sheet(html):
    sheet = {}
    for tag in CHOICE.findall(html):
        name, value = NAME.search(tag), VALUE.search(tag)
        if name and value:
            sheet.setdefault(name.group(1), value.group(1))
    for name in TEXT.findall(html):
        sheet.setdefault(name, "I would listen first")
    return sheet
