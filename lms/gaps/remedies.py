"""What to do about a gap: the remedy of GAP_MODEL.md for each dimension, pointing at the
content that serves it. Each remedy says whose action it is."""

from dataclasses import dataclass

from ..coaching.assigning import refresher_for, roleplay_for
from ..i18n import lazy_gettext as _l


@dataclass(frozen=True)
class Remedy:
    text: object  # a lazy translated string
    owner: str  # agent | coach | manager
    endpoint: str | None = None
    args: tuple = ()  # (name, value) pairs for url_for
    assign: str | None = None  # content a coach can assign in one click ("quiz:<id>", ...)
    logs_talk: bool = False  # done by logging a 1:1 conversation on the coaching page
    open_to: str | None = None  # the access rule (lms.accounts.permissions) its page needs, if any


def remedies(catalog, topic, dimension):
    """The recommended actions for a gap in ``topic`` x ``dimension``."""
    refresher, roleplay = refresher_for(catalog, topic), roleplay_for(catalog, topic)
    module = catalog.topic_module(topic)
    if dimension == "knowledge":
        found = [Remedy(_l("Reread the topic's lessons"), "agent", "lms.learning.module", (("module_id", module.id),))
                 if module else None,
                 Remedy(_l("Take the refresher, then re-quiz the missed items after 2, 7 and 21 days"), "agent",
                        "lms.learning.quiz", (("quiz_id", refresher.id),)) if refresher else None,
                 Remedy(_l("Assign the refresher with a due date"), "coach", assign=refresher.key)
                 if refresher else None]
    elif dimension == "belief":
        policies = catalog.modules.get("policies")
        found = [Remedy(_l("The policies lessons that explain the reasons involved"), "agent", "lms.learning.module",
                        (("module_id", policies.id),)) if policies else None,
                 Remedy(_l("A role-play that practises explaining the reason"), "agent", "lms.roleplays.intro",
                        (("roleplay_id", roleplay.id),), assign=roleplay.key) if roleplay else None,
                 Remedy(_l("A 1:1 conversation about why it matters, logged by the coach"), "coach", logs_talk=True)]
    else:
        found = [Remedy(_l("Review the role-play replies that are waiting"), "coach", "lms.roleplays.review_queue",
                        open_to="review_replies"),
                 Remedy(_l("Hold a practice session on this topic"), "coach", logs_talk=True),
                 Remedy(_l("State the agent's authority limits in writing"), "coach"),
                 Remedy(_l("Escalated to the manager if not done within the window"), "manager")]
    return [r for r in found if r is not None]
