"""What the reviews API shows. The evaluator's phone number is never part of any output."""

from __future__ import annotations

from rest_framework import serializers

from reviews.models import Appeal, FraudFlag, Rectification, SurveyRound


class SurveyOutput(serializers.ModelSerializer):
    ticket = serializers.CharField(source="ticket.number")
    department = serializers.CharField(source="department.name", default=None, allow_null=True)

    class Meta:
        model = SurveyRound
        fields = [
            "id",
            "ticket",
            "number",
            "department",
            "state",
            "channel",
            "rating",
            "solved",
            "comment",
            "answered_at",
            "untrue",
        ]


class ReviewedTicketFields(serializers.ModelSerializer):
    """What rectifications and appeals show of the reviewed ticket: its number, the rated unit, the rating."""

    ticket = serializers.CharField(source="ticket.number")
    department = serializers.CharField(source="department.name")
    rating = serializers.IntegerField(source="round.rating")


class RectificationOutput(ReviewedTicketFields):
    comment = serializers.CharField(source="round.comment")

    class Meta:
        model = Rectification
        fields = [
            "id",
            "ticket",
            "department",
            "state",
            "rating",
            "comment",
            "opened_at",
            "verified_at",
            "verification_note",
            "report_type",
            "report_text",
            "reported_at",
            "report_due_at",
            "ledger_due_date",
            "ledger_done_at",
            "informed_at",
            "informed_note",
        ]


class AppealOutput(ReviewedTicketFields):
    applicant = serializers.CharField(source="applicant.username")

    class Meta:
        model = Appeal
        fields = [
            "id",
            "ticket",
            "department",
            "state",
            "rating",
            "applicant",
            "reasons",
            "applied_at",
            "head_supports",
            "head_note",
            "head_at",
            "decision_note",
            "decided_at",
        ]


class FlagOutput(serializers.ModelSerializer):
    ticket = serializers.CharField(source="round.ticket.number")

    class Meta:
        model = FraudFlag
        fields = ["id", "kind", "ticket", "detail", "created_at"]
