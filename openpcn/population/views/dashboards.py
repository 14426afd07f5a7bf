"""Being written."""

from django.http import Http404


def catalogue(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404("Not yet")


def organisation(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404("Not yet")


def indicator(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404("Not yet")


def core20plus5(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404("Not yet")
