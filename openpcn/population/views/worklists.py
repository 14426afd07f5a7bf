"""Being written."""

from django.http import Http404


def worklist(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404("Not yet")


def worklist_csv(request, **kwargs):  # type: ignore[no-untyped-def]
    raise Http404("Not yet")
