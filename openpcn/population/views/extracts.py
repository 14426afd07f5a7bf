"""Being written."""

from django.http import Http404


def extract_list(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404("Not yet")


def extract_new(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404("Not yet")


def extract_detail(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404("Not yet")


def extract_progress(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404("Not yet")


def refresh_new(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404("Not yet")


def refresh_detail(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404("Not yet")


def refresh_progress(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404("Not yet")
