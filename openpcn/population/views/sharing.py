"""Being written."""

from django.http import Http404


def agreement_list(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404("Not yet")


def agreement_new(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404("Not yet")


def agreement_withdraw(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404("Not yet")
