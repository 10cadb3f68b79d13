from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from tickets.models import Category, DeadlinePolicy, KnowledgeArticle, RoutingRule, SmsMessage
from tickets.permissions import mask_phone
from tickets.services.sms import sms_resend


@admin.register(Category)
class CategoryAdmin(TreeAdmin):
    form = movenodeform_factory(Category)
    list_display = ("name", "code", "is_active")
    search_fields = ("name", "code", "keywords")


@admin.register(KnowledgeArticle)
class KnowledgeArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("title", "keywords", "body")
    autocomplete_fields = ("category",)


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("category", "area", "lead")
    autocomplete_fields = ("category", "area", "lead")
    filter_horizontal = ("co_departments",)


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ("kind", "urgency", "response_days", "reply_days", "survey_days")


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    """Text messages and their delivery: failed ones are parked here until an administrator resends them."""

    list_display = ("key", "masked_phone", "state", "attempts", "next_attempt_at", "sent_at", "last_error")
    list_filter = ("state",)
    search_fields = ("key",)
    actions = ["resend"]
    readonly_fields = [f.name for f in SmsMessage._meta.fields]

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: SmsMessage) -> str:
        return mask_phone(obj.phone)

    @admin.action(description=_("Resend the selected failed messages"))
    def resend(self, request: HttpRequest, queryset: QuerySet[SmsMessage]) -> None:
        count = sms_resend(queryset.values_list("pk", flat=True))
        self.message_user(request, ngettext("%d message queued again.", "%d messages queued again.", count) % count)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: SmsMessage | None = None) -> bool:
        return False
