"""The Jinja2 environment: project templates first, then the NHS.UK frontend macros."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import number_format
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader
from markupsafe import Markup


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def csrf_input(request: Any) -> Markup:
    token = get_token(request)
    return Markup('<input type="hidden" name="csrfmiddlewaretoken" value="{}">').format(token)


def thousands(value: Any) -> str:
    if value is None or value == "":
        return "–"
    return number_format(value, force_grouping=True)


def environment(**options: Any) -> Environment:
    options["undefined"] = ChainableUndefined  # the NHS.UK macros read optional nested params
    options["loader"] = ChoiceLoader([options["loader"], PackageLoader("nhsuk_frontend_jinja")])
    env = Environment(**options)  # noqa: S701 - Django's backend sets autoescape=True
    env.globals.update(
        {
            "static": static,
            "url": url,
            "csrf_input_for": csrf_input,
            "get_messages": get_messages,
            "demo_banner": settings.OPENPCN_DEMO_BANNER,
        }
    )
    env.filters["thousands"] = thousands
    return env
