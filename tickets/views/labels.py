from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "answer": _("Answer directly"),
    "dispatch": _("Dispatch"),
    "merge": _("Merge as a repeat"),
    "sign": _("Sign"),
    "contact": _("Record a contact"),
    "return": _("Return"),
    "sub_dispatch": _("Sub-dispatch"),
    "extend": _("Request an extension"),
    "reply": _("Reply"),
    "arbitrate_return": _("Decide the return"),
    "decide_extension": _("Decide the extension"),
    "approve_reply": _("Approve the reply"),
    "send_back": _("Send back for rework"),
    "close": _("Close"),
    "supervise": _("Supervision notice"),
    "remind": _("Remind"),
    "survey": _("Enter the callback"),
}
