"""Running an action from a form view: what the action refuses is shown on the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404


def attempt(form: Any, act: Callable[[], Any]) -> Any:
    """The action's result, or None when it refused: a refusal becomes a form error (on its field
    when it names one), and a permission refusal a 404, as for anything outside the user's scope."""
    try:
        return act()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, " ".join(problems))
        else:
            form.add_error(None, " ".join(error.messages))
    except PermissionDenied as error:
        raise Http404("Not found") from error
    return None
