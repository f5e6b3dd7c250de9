"""Names the praise templates use."""

from .recording import can_acknowledge
from .rules import CHANNELS


def channel_title(channel):
    return str(CHANNELS.get(channel, channel))


TEMPLATE_HELPERS = {"channel_title": channel_title, "can_acknowledge_praise": can_acknowledge}
