from django.urls import path

from supervision.views import dashboard
from tickets.views import callbacks, console, detail, inbox, queues, search, workbench

app_name = "tickets"
urlpatterns = [
    path("console/", console.intake, name="console"),
    path("console/pick/<str:kind>/", console.pick, name="console_pick"),
    path("console/route/", console.route, name="console_route"),
    path("console/lookup/", console.lookup, name="console_lookup"),
    path("console/suggest/", console.suggest, name="console_suggest"),
    path("console/kb/", console.knowledge, name="console_kb"),
    path("console/draft/", console.draft_save, name="console_draft"),
    path("centre/queues/", queues.centre_queues, name="centre_queues"),
    path("centre/callbacks/", callbacks.callbacks, name="callbacks"),
    path("centre/callbacks/<str:number>/", callbacks.callback_save, name="callback_save"),
    path("centre/callbacks/<str:number>/dial/", callbacks.callback_dial, name="callback_dial"),
    path("tickets/", search.ticket_search, name="search"),
    path("tickets/filters/", search.search_filters, name="search_filters"),
    path("tickets/saved/", search.saved_search_create, name="saved_search_create"),
    path("tickets/saved/<int:pk>/delete/", search.saved_search_delete, name="saved_search_delete"),
    path("tickets/<str:number>/", detail.ticket_detail, name="detail"),
    path("tickets/<str:number>/print/", detail.ticket_print, name="print"),
    path("tickets/<str:number>/do/<str:verb>/", detail.ticket_act, name="act"),
    path("tickets/<str:number>/reveal/", detail.ticket_reveal_phone, name="reveal"),
    path("workbench/", workbench.workbench, name="workbench"),
    path("attachments/<int:pk>/", detail.attachment_download, name="attachment"),
    path("notifications/", inbox.inbox, name="inbox"),
    path("notifications/badge/", inbox.inbox_badge, name="inbox_badge"),
    path("notifications/read-all/", inbox.inbox_mark_all_read, name="inbox_mark_all_read"),
    path("notifications/<int:pk>/", inbox.notification_open, name="notification"),
    # The supervision app's pages, under their old names (tickets:supervision, …) so that every link keeps working.
    path("supervision/", dashboard.supervision, name="supervision"),
    path("supervision/overdue/", dashboard.overdue, name="overdue"),
    path("supervision/overdue.xlsx", dashboard.overdue_export, name="overdue_export"),
]
