"""The verbs and activity types statements use: ADL's where ADL has one (what any LRS report
already knows), TinCan's registered ``earned``, and our own IRIs under the site's address for
what neither registry names (a revocation and its undoing, a certificate)."""

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ADL_TYPES = "http://adlnet.gov/expapi/activities/"

#: verb -> (IRI, or None for one of ours; display in English and Persian)
VERBS = {
    "experienced": (ADL_VERBS + "experienced", {"en": "experienced", "fa": "مطالعه کرد"}),
    "attempted": (ADL_VERBS + "attempted", {"en": "attempted", "fa": "شروع کرد"}),
    "passed": (ADL_VERBS + "passed", {"en": "passed", "fa": "قبول شد"}),
    "failed": (ADL_VERBS + "failed", {"en": "failed", "fa": "قبول نشد"}),
    "answered": (ADL_VERBS + "answered", {"en": "answered", "fa": "پاسخ داد"}),
    "completed": (ADL_VERBS + "completed", {"en": "completed", "fa": "به پایان رساند"}),
    "responded": (ADL_VERBS + "responded", {"en": "responded", "fa": "جواب داد"}),
    "scored": (ADL_VERBS + "scored", {"en": "scored", "fa": "نمره گرفت"}),
    "earned": ("http://id.tincanapi.com/verb/earned", {"en": "earned", "fa": "دریافت کرد"}),
    "revoked": (None, {"en": "revoked", "fa": "باطل شد"}),
    "restored": (None, {"en": "restored", "fa": "دوباره معتبر شد"}),
}

#: activity kind -> type IRI (None: one of ours)
ACTIVITY_TYPES = {
    "lesson": ADL_TYPES + "lesson",
    "module": ADL_TYPES + "module",
    "assessment": ADL_TYPES + "assessment",
    "interaction": ADL_TYPES + "cmi.interaction",
    "simulation": ADL_TYPES + "simulation",
    "certificate": None,
}

#: quiz item type -> cmi.interaction interactionType
INTERACTION_TYPES = {
    "single": "choice",
    "why": "choice",
    "multiple": "choice",
    "true_false": "true-false",
    "agreement": "likert",
    "short": "fill-in",
}
