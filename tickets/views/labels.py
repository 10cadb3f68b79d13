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
    "co_reply": _("Co-handling reply"),
    "rect_verify": _("Verification call"),
    "rect_report": _("Rectification report"),
    "rect_decide_invalid": _("Decide the invalid review"),
    "rect_ledger_contact": _("Tell the citizen about the ledger"),
    "rect_ledger_done": _("Ledger entry done"),
    "rect_inform": _("Tell the citizen the outcome"),
    "appeal_apply": _("Appeal the review"),
    "appeal_opinion": _("Opinion on the appeal"),
    "appeal_decide": _("Decide the appeal"),
}

# What the timeline calls the events that are not a user's action.
EVENT_LABELS = {
    "receive": _("Received"),
    "merge_repeat": _("A repeat was merged in"),
    "close_with_main": _("Closed with the main ticket"),
    "survey_attempt": _("Callback attempt"),
    "rectification_verify": _("Verification call"),
    "rectification_report": _("Rectification report"),
    "rectification_decide_invalid": _("Invalid review decided"),
    "rectification_ledger_contact": _("Citizen told about the ledger"),
    "rectification_ledger_done": _("Ledger entry done"),
    "rectification_inform": _("Citizen told the outcome"),
    "appeal_apply": _("Appeal"),
    "appeal_opinion": _("Head's opinion on the appeal"),
    "appeal_decide": _("Appeal decided"),
}
CLOCK_EVENT_SUFFIXES = {"_met": _("met"), "_warned": _("deadline near"), "_breached": _("deadline breached")}
