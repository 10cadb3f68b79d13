from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from tickets.models import Category, DeadlinePolicy, KnowledgeArticle, RoutingRule


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
