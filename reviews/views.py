"""The citizen's survey page behind the one-time SMS link: /s/<token>. Mobile first, Chinese, no login."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from hotline.clientip import client_ip
from hotline.errors import DomainError
from hotline.inputs import ascii_int
from reviews.models import SurveyRound
from reviews.services import survey_answer_sms


def survey_page(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        rating = request.POST.get("rating", "")
        solved = request.POST.get("solved", "")
        try:
            survey_answer_sms(
                token=token,
                rating=ascii_int(rating),
                solved={"yes": True, "no": False}.get(solved),
                comment=request.POST.get("comment", "")[:2000],
                ip=client_ip(request) or None,
            )
        except DomainError as error:
            if error.code in ("invalid_rating", "solved_required"):  # the form again, with what was entered
                return render(request, "reviews/survey.html", _form(request, str(error.message)), status=400)
            return render(request, "reviews/survey_done.html", {"message": error.message}, status=error.status)
        return render(request, "reviews/survey_done.html", {"message": gettext("Thank you for your answer.")})
    return render(request, "reviews/survey.html", _form(request, ""))


def _form(request: HttpRequest, error: str) -> dict:
    return {
        "choices": SurveyRound.Rating.choices,
        "error": error,
        "rating": request.POST.get("rating", ""),
        "solved": request.POST.get("solved", ""),
        "comment": request.POST.get("comment", ""),
    }
